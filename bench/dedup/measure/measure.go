// Package measure reads what the dedup benchmark programs report about
// themselves: CPU time and peak memory.
package measure

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// CPUSeconds is the process's user+system CPU time so far: on a shared
// machine it measures work where wall time measures the neighbours too.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// PeakRSSMB is the process's peak resident set (VmHWM) in MiB.
func PeakRSSMB() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(l[6:]), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
