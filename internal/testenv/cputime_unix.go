//go:build unix

package testenv

import (
	"syscall"
	"time"
)

// CPUTime is the process's user+system CPU time. Benchmarks report
// throughput per CPU-second beside wall-time rates, because wall time on a
// busy machine measures the neighbours too.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
