package testenv

import (
	"time"

	"github.com/saring/saring/internal/rusage"
)

// CPUTime is the process's user+system CPU time (zero where unknown).
// Benchmarks report throughput per CPU-second beside wall-time rates,
// because wall time on a busy machine measures the neighbours too.
func CPUTime() time.Duration { return rusage.CPU() }
