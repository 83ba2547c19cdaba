//go:build unix

package filters

import (
	"syscall"
	"time"
)

// gopherCPUTime is the process's user+system CPU time, so that benchmarks
// can report throughput per CPU-second on a busy machine.
func gopherCPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
