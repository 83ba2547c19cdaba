package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/saring/saring/storage/miniotest"
)

// TestStorageThroughput measures the storage layer against the local MinIO
// (scripts/bench-storage.sh runs it; BENCHMARKS.md has the results): write
// and read of one large object, next to a plain single GET of the same
// bytes in the same run, requests per GB, and the time to list many keys.
//
//	SARING_BENCH_STORAGE=1 SARING_BENCH_MB=1024 SARING_BENCH_KEYS=100000 go test ./storage -run TestStorageThroughput -v -timeout 60m
//
// The "paced" rows read through a proxy in this process (the client CPU
// includes it) that delays each response by 20 ms and sends each body at
// 25 MB/s at most; SARING_BENCH_PACED=0 leaves them out.
func TestStorageThroughput(t *testing.T) {
	if os.Getenv("SARING_BENCH_STORAGE") == "" {
		t.Skip("set SARING_BENCH_STORAGE=1 (scripts/bench-storage.sh)")
	}
	mb := envInt("SARING_BENCH_MB", 1024)
	keys := envInt("SARING_BENCH_KEYS", 100_000)
	s := newBucket(t, Options{})
	ctx := context.Background()
	size := int64(mb) << 20
	gb := float64(size) / (1 << 30)
	block := randBytes(4<<20, 31)

	// Writes: the storage layer, then the client library's own upload of
	// the same bytes, twice each (the machine is small and shared).
	var c0, c1 Counters
	var start time.Time
	var cpu0 time.Duration
	for round := 1; round <= 2; round++ {
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		w, err := s.Create(ctx, "bench/object.bin")
		if err != nil {
			t.Fatal(err)
		}
		for off := int64(0); off < size; off += int64(len(block)) {
			block[0]++
			if _, err := w.Write(block[:min(int64(len(block)), size-off)]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		wt := time.Since(start)
		c1 = Stats()
		report(t, fmt.Sprintf("write  storage.Create, 16 MiB parts, 3 in flight (%d)", round), size, wt, cpuNow()-cpu0, c1.Requests-c0.Requests, gb)

		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		if _, err := s.core.Client.PutObject(ctx, s.bucket, "bench/library.bin", &genReader{block: block, left: size}, size, minio.PutObjectOptions{PartSize: 16 << 20, NumThreads: 3}); err != nil {
			t.Fatal(err)
		}
		report(t, fmt.Sprintf("write  minio-go PutObject, 16 MiB parts, 3 threads (%d)", round), size, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, gb)
		s.Remove(ctx, "bench/library.bin")
	}

	// Plain single GET through the same client, no ranges, no readahead.
	for round := 0; round < 3; round++ {
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		body, _, _, err := s.core.GetObject(ctx, s.bucket, "bench/object.bin", minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, body)
		body.Close()
		if err != nil || n != size {
			t.Fatalf("single GET: %d bytes, %v", n, err)
		}
		report(t, fmt.Sprintf("read   one plain GET (%d)", round+1), size, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, gb)

		// The storage layer: HEAD, then 8 MiB ranges, 4 ahead.
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		r, err := s.Open(ctx, "bench/object.bin")
		if err != nil {
			t.Fatal(err)
		}
		n, err = io.Copy(io.Discard, r)
		r.Close()
		if err != nil || n != size {
			t.Fatalf("storage read: %d bytes, %v", n, err)
		}
		report(t, fmt.Sprintf("read   storage.Open, 8 MiB ranges, 4 ahead (%d)", round+1), size, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, gb)

		// The storage layer without readahead: one resuming stream.
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		r, _ = s.OpenRange(ctx, "bench/object.bin", 0, -1)
		n, err = io.Copy(io.Discard, r)
		r.Close()
		if err != nil || n != size {
			t.Fatalf("storage stream: %d bytes, %v", n, err)
		}
		report(t, fmt.Sprintf("read   storage.OpenRange, one stream (%d)", round+1), size, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, gb)
	}
	// Through a proxy that gives each response 20 ms of latency and at
	// most 25 MB/s, as a distant server with a per-connection limit does:
	// what readahead is for.
	if os.Getenv("SARING_BENCH_PACED") != "0" {
		srv := miniotest.Shared(t)
		p, addr := newFaultProxy(t, srv.Endpoint)
		p.latency, p.bytesPerSec = 20*time.Millisecond, 25e6
		cfg := minioConfig(srv)
		cfg.Endpoint = addr
		ps, err := NewS3(cfg, s.bucket)
		if err != nil {
			t.Fatal(err)
		}
		psize := min(size, 256<<20)
		pgb := float64(psize) / (1 << 30)
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		body, _, _, err := ps.core.GetObject(ctx, ps.bucket, "bench/object.bin", minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.CopyN(io.Discard, body, psize)
		body.Close()
		if err != nil || n != psize {
			t.Fatalf("paced GET: %d bytes, %v", n, err)
		}
		report(t, "paced  one plain GET (first 256 MiB)", psize, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, pgb)
		for _, ra := range []int{4, 8} {
			cfg.Options = Options{Readahead: ra}
			ps, _ = NewS3(cfg, s.bucket)
			c0 = Stats()
			start, cpu0 = time.Now(), cpuNow()
			r, err := ps.Open(ctx, "bench/object.bin")
			if err != nil {
				t.Fatal(err)
			}
			n, err = io.CopyN(io.Discard, r, psize)
			r.Close()
			if err != nil || n != psize {
				t.Fatalf("paced storage read: %d bytes, %v", n, err)
			}
			report(t, fmt.Sprintf("paced  storage.Open, 8 MiB ranges, %d ahead (first 256 MiB)", ra), psize, time.Since(start), cpuNow()-cpu0, Stats().Requests-c0.Requests, pgb)
		}
	}
	s.Remove(ctx, "bench/object.bin")

	// Listing.
	if keys == 0 {
		return
	}
	start, cpu0 = time.Now(), cpuNow()
	errs := make(chan error, 64)
	sem := make(chan struct{}, 32)
	go func() {
		for i := 0; i < keys; i++ {
			sem <- struct{}{}
			go func(i int) {
				defer func() { <-sem }()
				_, err := s.core.PutObject(ctx, s.bucket, fmt.Sprintf("list/%03d/%07d.jsonl.zst", i%1000, i), nopReader{}, 0, "", "", minio.PutObjectOptions{})
				if err != nil {
					errs <- err
				}
			}(i)
		}
		for i := 0; i < cap(sem); i++ {
			sem <- struct{}{}
		}
		close(errs)
	}()
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("created %d keys in %v", keys, time.Since(start).Round(time.Second))
	for round := 0; round < 2; round++ {
		c0 = Stats()
		start, cpu0 = time.Now(), cpuNow()
		n := 0
		if err := s.List(ctx, "list/", func(ObjectInfo) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != keys {
			t.Fatalf("listed %d of %d keys", n, keys)
		}
		t.Logf("list   %d keys: %.2f s, %d requests", n, time.Since(start).Seconds(), Stats().Requests-c0.Requests)
	}
}

// genReader yields size bytes of the benchmark's blocks.
type genReader struct {
	block []byte
	left  int64
	off   int
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	if g.off == len(g.block) {
		g.off = 0
		g.block[0]++
	}
	n := copy(p, g.block[g.off:min(len(g.block), g.off+int(min(g.left, int64(len(p)))))])
	g.off += n
	g.left -= int64(n)
	return n, nil
}

type nopReader struct{}

func (nopReader) Read([]byte) (int, error) { return 0, io.EOF }

func report(t *testing.T, what string, size int64, d, cpu time.Duration, reqs int64, gb float64) {
	t.Logf("%-58s %6.0f MB/s  %5.2f s  client %5.2f CPU s/GB  %4d requests (%.0f per GB)", what, float64(size)/1e6/d.Seconds(), d.Seconds(), cpu.Seconds()/gb, reqs, float64(reqs)/gb)
}

// cpuNow is the CPU time (user + system) of this process: the client's,
// not MinIO's, which runs in its own.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}
