package testenv

import (
	"testing"
	"time"
)

// ReportMBPerCPUSecond adds the "MB/cpu-s" metric: bytesPerOp bytes for
// each of b.N iterations over the CPU time used since start (a CPUTime
// value). Call it after the loop; with b.Loop, b.N then holds the count.
func ReportMBPerCPUSecond(b *testing.B, start time.Duration, bytesPerOp int64) {
	b.Helper()
	if d := CPUTime() - start; d > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}
