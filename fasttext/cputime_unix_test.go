//go:build unix

package fasttext

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time: benchmarks report
// throughput per CPU second too, which other load on the machine does
// not distort the way it does wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
