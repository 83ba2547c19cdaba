//go:build !unix

package rusage

import "time"

// CPU and PeakRSS are unknown here: zero.
func CPU() time.Duration { return 0 }
func PeakRSS() int64     { return 0 }
