// Command report measures the HTML report and the viewer on a large run
// output: report generation time, viewer index build time, and viewer page
// latency (p50/p99) under a bounded local load on 127.0.0.1. It compares
// them with the floor for any full pass: decompressing and splitting every
// output file once.
//
//	go run ./bench/report -docs 1000000 -dir /tmp/bench1m
//
// The synthetic output directory is written once (jsonl.zst, small
// documents) and reused; it is not part of the repository.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/saring/saring/formats"
	"github.com/saring/saring/report"
	"github.com/saring/saring/report/reporttest"
	"github.com/saring/saring/report/viewer"
)

func main() {
	docs := flag.Int("docs", 1000000, "documents in the synthetic output")
	dir := flag.String("dir", "/tmp/saring-bench-report", "output directory (written when missing)")
	requests := flag.Int("requests", 3000, "viewer requests in the load loop")
	clients := flag.Int("clients", 4, "concurrent clients")
	maxTime := flag.Duration("max-time", 90*time.Second, "stop the load loop after this long")
	flag.Parse()
	if err := run(*docs, *dir, *requests, *clients, *maxTime); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(docs int, dir string, requests, clients int, maxTime time.Duration) error {
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(dir, "stats.json")); err != nil {
		t := time.Now()
		if err := reporttest.Write(dir, reporttest.Options{Docs: docs, Compression: "zst", Seed: 1}); err != nil {
			return err
		}
		fmt.Printf("wrote %d documents to %s in %.1f s\n", docs, dir, time.Since(t).Seconds())
	}
	files, err := report.ListOutputs(dir)
	if err != nil {
		return err
	}
	var size, uncompressed int64
	for _, f := range files {
		size += f.Size
	}
	fmt.Printf("machine: %d cores (GOMAXPROCS), %s\n", runtime.NumCPU(), runtime.Version())

	// Floor: decompress and split every file once, one goroutine per core's
	// worth of files would not help a single-stream zstd decode much.
	t, c := time.Now(), cpu()
	var lines int64
	for _, f := range files {
		rc, err := report.OpenDecompressed(f)
		if err != nil {
			return err
		}
		lr := formats.NewLineReader(rc)
		for {
			l, _, err := lr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			lines++
			uncompressed += int64(len(l)) + 1
		}
		rc.Close()
	}
	floor := time.Since(t)
	fmt.Printf("output: %d files, %d records, %.0f MB compressed, %.0f MB uncompressed\n", len(files), lines, float64(size)/1e6, float64(uncompressed)/1e6)
	fmt.Printf("baseline (decompress + split lines, 1 goroutine): %.2f s wall, %.2f s CPU\n", floor.Seconds(), (cpu() - c).Seconds())

	t, c = time.Now(), cpu()
	sum, err := report.Generate(ctx, report.Options{OutDir: dir, Output: filepath.Join(dir, "report.html")})
	if err != nil {
		return err
	}
	fmt.Printf("report: %.2f s wall, %.2f s CPU for %d documents (%.0f docs/s)\n", time.Since(t).Seconds(), (cpu() - c).Seconds(), sum.Docs, float64(sum.Docs)/time.Since(t).Seconds())

	idx := filepath.Join(dir, ".index")
	os.RemoveAll(idx)
	var ms runtime.MemStats
	t, c = time.Now(), cpu()
	man, err := viewer.Build(ctx, dir, idx)
	if err != nil {
		return err
	}
	build, buildCPU := time.Since(t), cpu()-c
	runtime.ReadMemStats(&ms)
	var idxBytes int64
	ents, _ := os.ReadDir(idx)
	for _, e := range ents {
		if fi, err := e.Info(); err == nil {
			idxBytes += fi.Size()
		}
	}
	fmt.Printf("viewer index: %.2f s wall, %.2f s CPU for %d documents (%.0f docs/s), %.0f MB on disk, heap in use after %.0f MB\n",
		build.Seconds(), buildCPU.Seconds(), man.Docs, float64(man.Docs)/build.Seconds(), float64(idxBytes)/1e6, float64(ms.HeapInuse)/1e6)
	t = time.Now()
	if _, ok := viewer.Fresh(dir, idx); !ok {
		return errors.New("index not fresh right after building it")
	}
	fmt.Printf("viewer reopen (index fresh): %.1f ms\n", float64(time.Since(t).Microseconds())/1000)

	st, err := viewer.OpenStore(dir, idx, man)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: viewer.NewHandler(st, nil)}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	return load(base, man, requests, clients, maxTime)
}

type sample struct {
	kind string
	d    time.Duration
}

// load sends a bounded mix of requests from a few clients and prints the
// latency per kind of page.
func load(base string, man *viewer.Manifest, requests, clients int, maxTime time.Duration) error {
	rng := rand.New(rand.NewPCG(1, 2))
	type req struct{ kind, url string }
	var reqs []req
	kept := man.SetDocs[report.Kept]
	for i := 0; i < requests; i++ {
		switch i % 6 {
		case 0:
			reqs = append(reqs, req{"list page (any offset)", fmt.Sprintf("%s/?set=kept&p=%d", base, rng.Int64N(max(kept-50, 1)))})
		case 1:
			reqs = append(reqs, req{"filtered list (reason)", fmt.Sprintf("%s/?reason=gopher_short_doc&p=%d", base, 50*rng.Int64N(100))})
		case 2:
			reqs = append(reqs, req{"filtered list (lang+score)", fmt.Sprintf("%s/?set=kept&lang=en&min=0.8&p=%d", base, 50*rng.Int64N(100))})
		case 3, 4:
			reqs = append(reqs, req{"document page", fmt.Sprintf("%s/doc/%d", base, rng.Int64N(man.Docs))})
		case 5:
			reqs = append(reqs, req{"search (50 hits)", fmt.Sprintf("%s/?q=banjir+warga&c=%d", base, rng.Int64N(man.Docs/2))})
		}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	deadline := time.Now().Add(maxTime)
	var mu sync.Mutex
	var samples []sample
	var failures int
	next := make(chan req)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				t := time.Now()
				resp, err := client.Get(r.url)
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t)
				mu.Lock()
				if ok {
					samples = append(samples, sample{r.kind, d})
				} else {
					failures++
				}
				mu.Unlock()
			}
		}()
	}
	for _, r := range reqs {
		if time.Now().After(deadline) {
			break
		}
		next <- r
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("load: %d requests (%d failed) from %d clients in %.1f s, %.0f req/s\n", len(samples)+failures, failures, clients, elapsed.Seconds(), float64(len(samples))/elapsed.Seconds())
	byKind := map[string][]time.Duration{}
	var all []time.Duration
	for _, s := range samples {
		byKind[s.kind] = append(byKind[s.kind], s.d)
		all = append(all, s.d)
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Printf("| %-28s | %6s | %9s | %9s | %9s |\n", "page", "n", "p50 ms", "p99 ms", "max ms")
	fmt.Printf("|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 30), strings.Repeat("-", 8), strings.Repeat("-", 11), strings.Repeat("-", 11), strings.Repeat("-", 11))
	for _, k := range append(kinds, "all") {
		d := byKind[k]
		if k == "all" {
			d = all
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		if len(d) == 0 {
			continue
		}
		q := func(p float64) float64 {
			return float64(d[min(int(p*float64(len(d))), len(d)-1)].Microseconds()) / 1000
		}
		fmt.Printf("| %-28s | %6d | %9.1f | %9.1f | %9.1f |\n", k, len(d), q(0.50), q(0.99), float64(d[len(d)-1].Microseconds())/1000)
	}
	return nil
}

// cpu is the process's user+system CPU time: the machine may be shared, and
// CPU seconds say what a phase costs when wall time is stretched by others.
func cpu() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
