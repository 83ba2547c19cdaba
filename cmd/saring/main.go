// Command saring turns web-crawled text into clean, deduplicated,
// language-tagged training data.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err))
}

// exitCode maps an error to the process exit code; only main does this.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "saring: interrupted; no partial file was left under a final name")
		return 130
	default:
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(os.Stderr, "saring:", err)
		return 1
	}
}

// exitError carries a specific exit code (check: 1 when the file is invalid).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
