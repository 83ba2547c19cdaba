package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saring/saring/internal/rusage"
)

// The test binary is also the measured child: RTIME_CHILD says what it does.
func TestMain(m *testing.M) {
	switch os.Getenv("RTIME_CHILD") {
	case "":
		os.Exit(m.Run())
	case "spin": // 300 ms of CPU (its own count, as the machine may be busy)
		var n int64
		for rusage.CPU() < 300*time.Millisecond {
			n++
		}
		fmt.Println("spun", n > 0)
		os.Exit(0)
	case "alloc": // touch 96 MiB, so the peak RSS must be at least that
		b := make([]byte, 96<<20)
		for i := range b {
			if i%4096 == 0 {
				b[i] = 1
			}
		}
		fmt.Println(len(b))
		os.Exit(0)
	case "exit3":
		os.Exit(3)
	case "kill":
		p, _ := os.FindProcess(os.Getpid())
		p.Signal(os.Kill)
		time.Sleep(time.Second)
		os.Exit(0)
	}
}

func measure(t *testing.T, child string, file string) (int, []string, string) {
	t.Helper()
	t.Setenv("RTIME_CHILD", child)
	var stdout, stderr bytes.Buffer
	status := run([]string{"-o", file, os.Args[0]}, strings.NewReader(""), &stdout, &stderr)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return status, strings.Fields(lines[len(lines)-1]), stdout.String() + stderr.String()
}

func field(t *testing.T, f []string, i int) float64 {
	t.Helper()
	var v float64
	if _, err := fmt.Sscan(f[i], &v); err != nil {
		t.Fatalf("field %d of %q: %v", i, f, err)
	}
	return v
}

func TestMeasures(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t")

	status, f, out := measure(t, "spin", file)
	if status != 0 || len(f) != 5 || f[4] != "0" || out != "spun true\n" {
		t.Fatalf("spin: status %d, line %q, output %q", status, f, out)
	}
	wall, user, sys := field(t, f, 0), field(t, f, 1), field(t, f, 2)
	if user+sys < 0.3 || user+sys > wall+0.05 {
		t.Errorf("spin: wall %.3f user %.3f sys %.3f, want 0.3 <= cpu <= wall", wall, user, sys)
	}

	status, f, _ = measure(t, "alloc", file)
	if rss := field(t, f, 3); status != 0 || rss < 96<<10 || rss > 1<<20 {
		t.Errorf("alloc: status %d, peak RSS %.0f KiB, want >= %d KiB", status, rss, 96<<10)
	}

	status, f, _ = measure(t, "exit3", file)
	if status != 3 || f[4] != "3" {
		t.Errorf("exit3: status %d, line %q", status, f)
	}

	status, f, _ = measure(t, "kill", file)
	if status != 128+9 || f[4] != "137" {
		t.Errorf("kill: status %d, line %q, want 137", status, f)
	}

	// Four runs appended, one line each.
	b, _ := os.ReadFile(file)
	if n := strings.Count(string(b), "\n"); n != 4 {
		t.Errorf("file has %d lines, want 4:\n%s", n, b)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	if s := run([]string{"-o", filepath.Join(dir, "t"), filepath.Join(dir, "no-such-program")}, nil, &stderr, &stderr); s != 127 {
		t.Errorf("missing program: status %d, want 127 (%s)", s, stderr.String())
	}
	if s := run([]string{"-o", filepath.Join(dir, "no-dir", "t"), "true"}, nil, &stderr, &stderr); s != 2 {
		t.Errorf("unwritable file: status %d, want 2", s)
	}
	if s := run([]string{"true"}, nil, &stderr, &stderr); s != 2 {
		t.Errorf("no -o: status %d, want 2", s)
	}
	if _, err := os.Stat(filepath.Join(dir, "t")); err == nil {
		b, _ := os.ReadFile(filepath.Join(dir, "t"))
		if len(b) != 0 {
			t.Errorf("a command that never ran left a measurement: %q", b)
		}
	}
}
