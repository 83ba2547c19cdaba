package formats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// bombResult is what the child process read.
type bombResult struct {
	Docs     []string // ids
	Rejected []string // errors, with their place
	Skipped  map[string]int64
	Fatal    string
	PeakHeap uint64
	PeakRSS  int64 // VmHWM: this process's own peak, not counting what it was forked from
}

// vmHWM returns the process's peak resident set from /proc (0 elsewhere).
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// TestBombChild reads $SARING_BOMB in this process and prints what it got;
// TestBombs runs it as a child, to measure its peak memory.
func TestBombChild(t *testing.T) {
	path := os.Getenv("SARING_BOMB")
	if path == "" {
		t.Skip("run by TestBombs")
	}
	debug.SetMemoryLimit(256 << 20)
	var res bombResult
	var peak uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	opts := ReadOptions{TextMode: os.Getenv("SARING_BOMB_TEXTMODE")}
	r, err := Open(path, opts, nil)
	if err != nil {
		res.Fatal = err.Error()
	} else {
		for {
			d, err := r.Next()
			if err == io.EOF {
				break
			}
			if re, ok := AsRecordError(err); ok {
				res.Rejected = append(res.Rejected, fmt.Sprintf("line %d offset %d: %v", re.Source.Line, re.Source.Offset, re.Err))
				continue
			}
			if err != nil {
				res.Fatal = err.Error()
				break
			}
			res.Docs = append(res.Docs, d.ID)
		}
		if s, ok := r.(Skipper); ok {
			res.Skipped = s.Skipped()
		}
		r.Close()
	}
	close(stop)
	res.PeakHeap = peak
	res.PeakRSS = vmHWM()
	b, _ := json.Marshal(res)
	fmt.Printf("BOMB-RESULT %s\n", b)
}

// repeatWriter writes n bytes of b, repeated, to w.
func repeatWriter(w io.Writer, b byte, n int64) {
	chunk := []byte(strings.Repeat(string(b), 1<<20))
	for n > 0 {
		k := min(n, int64(len(chunk)))
		w.Write(chunk[:k])
		n -= k
	}
}

// bombFile writes a compressed file: head, n bytes of fill, tail.
func bombFile(t *testing.T, name, comp string, head string, fill byte, n int64, tail string) string {
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.WriteCloser
	switch comp {
	case "gz":
		w, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
	case "zst":
		w, _ = zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	}
	io.WriteString(w, head)
	repeatWriter(w, fill, n)
	io.WriteString(w, tail)
	w.Close()
	bw.Flush()
	f.Close()
	return path
}

// warcBomb is a .warc.gz: a good record, a conversion record with an n-byte
// payload, a good record.
func warcBomb(t *testing.T, n int64) string {
	path := filepath.Join(t.TempDir(), "bomb.warc.gz")
	f, _ := os.Create(path)
	bw := bufio.NewWriterSize(f, 1<<20)
	member := func(fn func(w io.Writer)) {
		zw, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
		fn(zw)
		zw.Close()
	}
	good := func(id string) {
		member(func(w io.Writer) {
			w.Write(warcRec("conversion", "https://x.id/"+id, id, "", []byte("Teks yang baik "+id)))
		})
	}
	good("a")
	member(func(w io.Writer) {
		fmt.Fprintf(w, "WARC/1.1\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:big>\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", n)
		repeatWriter(w, 'a', n)
		io.WriteString(w, "\r\n\r\n")
	})
	good("b")
	bw.Flush()
	f.Close()
	return path
}

func runBombChild(t *testing.T, path, textMode string) (bombResult, int64) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBombChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SARING_BOMB="+path, "SARING_BOMB_TEXTMODE="+textMode)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var res bombResult
	for _, l := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(l, "BOMB-RESULT "); ok {
			if err := json.Unmarshal([]byte(s), &res); err != nil {
				t.Fatal(err)
			}
		}
	}
	rss := res.PeakRSS
	if rss == 0 {
		rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	}
	return res, rss
}

// Decompression bombs in every format and compression: the child reading
// them stays in bounded memory, the bomb is one counted entry (or a counted
// skip, for WARC) with its place, and the records around it are read.
func TestBombs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("GBs of decompression")
	}
	const line = 512 << 20 // one record over the 64 MiB limit, under the 1 GiB ratio floor
	const zeros = 5 << 28  // 1.25 GiB: past the ratio floor
	good1, good2 := `{"id":"one","text":"satu"}`+"\n", "\n"+`{"id":"two","text":"dua"}`+"\n"
	cases := []struct {
		name, file, textMode string
		make                 func(t *testing.T, name string) string
		docs                 int
		want                 string // in the rejected entry
		skipped              string
	}{
		{name: "jsonl line", file: "b.jsonl.zst", docs: 2, want: "over the limit",
			make: func(t *testing.T, n string) string {
				return bombFile(t, n, "zst", good1+`{"id":"big","text":"`, 'a', line, `"}`+good2)
			}},
		{name: "jsonl line", file: "b.jsonl.gz", docs: 2, want: "over the limit",
			make: func(t *testing.T, n string) string {
				return bombFile(t, n, "gz", good1+`{"id":"big","text":"`, 'a', line, `"}`+good2)
			}},
		{name: "jsonl zeros", file: "z.jsonl.zst", docs: 1, want: "compression ratio",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "zst", good1, 0, zeros, good2) }},
		{name: "jsonl zeros", file: "z.jsonl.gz", docs: 1, want: "compression ratio",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "gz", good1, 0, zeros, good2) }},
		{name: "text file", file: "b.txt.zst", docs: 0, want: "over the limit",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "zst", "", 'a', line, "") }},
		{name: "text file zeros", file: "z.txt.gz", docs: 0, want: "compression ratio",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "gz", "", 0, zeros, "") }},
		{name: "text lines", file: "l.txt.zst", textMode: "line", docs: 2, want: "over the limit",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "zst", "satu\n", 'a', line, "\ndua\n") }},
		{name: "text lines", file: "l.txt.gz", textMode: "line", docs: 2, want: "over the limit",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "gz", "satu\n", 'a', line, "\ndua\n") }},
		{name: "warc record", file: "bomb.warc.gz", docs: 2, skipped: "too_large",
			make: func(t *testing.T, n string) string { return warcBomb(t, line) }},
		{name: "warc zeros", file: "z.warc.gz", docs: 0, want: "compression ratio",
			make: func(t *testing.T, n string) string { return bombFile(t, n, "gz", "", 0, zeros, "") }},
		{name: "parquet value", file: "big.parquet", docs: 2, want: "over the limit",
			make: func(t *testing.T, n string) string { return parquetBomb(t, n, 100<<20) }},
		{name: "parquet page", file: "page.parquet", docs: 2, want: "over the limit of 135266304 bytes per page",
			make: func(t *testing.T, n string) string { return parquetBomb(t, n, 300<<20) }},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/"+tc.file, func(t *testing.T) {
			t0 := time.Now()
			path := tc.make(t, tc.file)
			debug.FreeOSMemory()
			st, _ := os.Stat(path)
			made := time.Since(t0)
			t0 = time.Now()
			res, rss := runBombChild(t, path, tc.textMode)
			t.Logf("%s: %d bytes on disk (made in %v); read in %v, peak RSS %d MiB, peak heap %d MiB; %d docs, rejected %v, skipped %v",
				tc.file, st.Size(), made.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond), rss>>20, res.PeakHeap>>20, len(res.Docs), res.Rejected, res.Skipped)
			if res.Fatal != "" {
				t.Fatalf("fatal: %s", res.Fatal)
			}
			if len(res.Docs) != tc.docs {
				t.Errorf("%d documents, want %d", len(res.Docs), tc.docs)
			}
			// One entry (WARC: the garbage line before it may be a second),
			// the last saying why, every one with its place.
			n := len(res.Rejected)
			if tc.want != "" && (n < 1 || n > 1+strings.Count(tc.file, ".warc") || !strings.Contains(res.Rejected[n-1], tc.want)) {
				t.Errorf("rejected %v, want one entry saying %q", res.Rejected, tc.want)
			}
			for _, r := range res.Rejected {
				if !strings.HasPrefix(r, "line ") || strings.HasPrefix(r, "line 0 ") {
					t.Errorf("entry without its place: %s", r)
				}
			}
			if tc.skipped != "" && res.Skipped[tc.skipped] != 1 {
				t.Errorf("skipped %v, want one %s", res.Skipped, tc.skipped)
			}
			if rss > 400<<20 {
				t.Errorf("peak RSS %d MiB, want < 400 MiB", rss>>20)
			}
		})
	}
}
