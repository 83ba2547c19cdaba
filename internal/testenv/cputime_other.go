//go:build !unix

package testenv

import "time"

// CPUTime is unknown here; callers report no per-CPU-second rate when it
// is zero.
func CPUTime() time.Duration { return 0 }
