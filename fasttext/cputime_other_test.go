//go:build !unix

package fasttext

import "time"

func cpuTime() time.Duration { return 0 }
