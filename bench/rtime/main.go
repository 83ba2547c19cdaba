// Command rtime runs a command and appends what it cost to a file: wall
// seconds, user and system CPU seconds, peak resident memory in KiB and
// the exit status, on one line, from the kernel's accounting of the child
// (wait4), which includes the descendants it waited for (a `bash -c "a | b"`
// counts both sides of the pipe; the peak is the largest of them).
//
//	rtime -o FILE CMD [ARG...]
//	→ FILE gains "wall user sys peak_rss_kib status", e.g. "1.234567 1.100000 0.090000 45312 0"
//
// bench/lib.sh builds it and reads those lines; every benchmark script
// times its commands through it. It replaces `/usr/bin/time -f`, whose
// CPU figures have 10 ms steps and which writes "Command exited with
// non-zero status" into the same file as the numbers.
//
// Standard input, output and error are the command's; rtime exits with the
// command's status (128+N when signal N ended it), so `set -e` scripts stop
// on a failing benchmark as they would without it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rtime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "append the measurement to this file (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rtime -o FILE CMD [ARG...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	// Open before running, so a bad path fails before minutes of work.
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(stderr, "rtime:", err)
		return 2
	}
	defer f.Close()

	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	// Ctrl-C reaches the child through the terminal's process group; rtime
	// stays to record how it ended instead of dying first.
	signal.Ignore(os.Interrupt, syscall.SIGQUIT)
	t0 := time.Now()
	err = cmd.Start()
	if err != nil {
		fmt.Fprintln(stderr, "rtime:", err)
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return 127
		}
		return 126
	}
	err = cmd.Wait()
	wall := time.Since(t0)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(stderr, "rtime:", err)
		return 126
	}
	st := cmd.ProcessState
	ru, _ := st.SysUsage().(*syscall.Rusage)
	var user, sys time.Duration
	var rssKiB int64
	if ru != nil {
		user = time.Duration(ru.Utime.Nano())
		sys = time.Duration(ru.Stime.Nano())
		rssKiB = int64(ru.Maxrss) // KiB on Linux, the only kernel the benchmarks run on
	}
	status := st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		status = 128 + int(ws.Signal())
	}
	if _, err := fmt.Fprintf(f, "%.6f %.6f %.6f %d %d\n", wall.Seconds(), user.Seconds(), sys.Seconds(), rssKiB, status); err != nil {
		fmt.Fprintln(stderr, "rtime:", err)
		return 2
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(stderr, "rtime:", err)
		return 2
	}
	return status
}
