package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// runSuite checks that a Store keeps the contract every backend shares
// (in the manner of restic's backend test suite). newStore returns an
// empty store; opts are the store's options (for sizes that cross part and
// chunk boundaries).
func runSuite(t *testing.T, newStore func(t *testing.T) Store, opts Options) {
	ctx := context.Background()
	opts = opts.withDefaults()

	t.Run("CreateStatOpen", func(t *testing.T) {
		s := newStore(t)
		data := []byte("hello, object\n")
		put(t, s, "a/b/c.txt", data)
		info, err := s.Stat(ctx, "a/b/c.txt")
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != int64(len(data)) || info.Key != "a/b/c.txt" {
			t.Fatalf("stat = %+v", info)
		}
		if got := get(t, s, "a/b/c.txt"); !bytes.Equal(got, data) {
			t.Fatalf("read %q, want %q", got, data)
		}
	})

	t.Run("Empty", func(t *testing.T) {
		s := newStore(t)
		put(t, s, "empty", nil)
		if got := get(t, s, "empty"); len(got) != 0 {
			t.Fatalf("read %d bytes from an empty object", len(got))
		}
	})

	t.Run("OpenRange", func(t *testing.T) {
		s := newStore(t)
		data := randBytes(100_000, 1)
		put(t, s, "r.bin", data)
		for _, c := range []struct{ off, n int64 }{{0, 10}, {5, 1}, {99_990, 10}, {1234, -1}, {0, -1}, {50_000, 50_000}} {
			r, err := s.OpenRange(ctx, "r.bin", c.off, c.n)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatalf("range %d+%d: %v", c.off, c.n, err)
			}
			end := int64(len(data))
			if c.n >= 0 {
				end = c.off + c.n
			}
			if !bytes.Equal(got, data[c.off:end]) {
				t.Fatalf("range %d+%d: got %d bytes, not the object's", c.off, c.n, len(got))
			}
		}
	})

	t.Run("Large", func(t *testing.T) {
		// Crosses part boundaries (writes) and chunk boundaries (readahead).
		s := newStore(t)
		size := int(2*opts.PartSize + opts.PartSize/3)
		size = max(size, int(5*opts.ChunkSize+17))
		data := randBytes(size, 2)
		w, err := s.Create(ctx, "big/object.bin")
		if err != nil {
			t.Fatal(err)
		}
		// Uneven writes.
		for off := 0; off < len(data); {
			n := min(len(data)-off, 1+rand.IntN(3<<20))
			if _, err := w.Write(data[off : off+n]); err != nil {
				t.Fatal(err)
			}
			off += n
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got := get(t, s, "big/object.bin")
		if !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes differ from the %d written", len(got), len(data))
		}
	})

	t.Run("InvisibleUntilClose", func(t *testing.T) {
		s := newStore(t)
		w, err := s.Create(ctx, "pending.txt")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(randBytes(int(opts.PartSize)+1000, 3)) // a part is sent already
		if _, err := s.Stat(ctx, "pending.txt"); !errors.Is(err, ErrNotExist) {
			t.Fatalf("stat before close: %v, want ErrNotExist", err)
		}
		assertKeys(t, s, "", nil)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		assertKeys(t, s, "", []string{"pending.txt"})
	})

	t.Run("Abort", func(t *testing.T) {
		s := newStore(t)
		put(t, s, "keep.txt", []byte("old"))
		for _, size := range []int{10, int(opts.PartSize) + 1000} {
			w, err := s.Create(ctx, "keep.txt")
			if err != nil {
				t.Fatal(err)
			}
			w.Write(randBytes(size, 4))
			if err := w.Abort(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err == nil {
				t.Fatal("Close after Abort succeeded")
			}
			if got := get(t, s, "keep.txt"); string(got) != "old" {
				t.Fatalf("after an aborted overwrite of %d bytes: %q", size, got[:min(len(got), 10)])
			}
		}
		w, _ := s.Create(ctx, "never.txt")
		w.Write([]byte("x"))
		w.Abort()
		assertKeys(t, s, "", []string{"keep.txt"})
		assertNoUploads(t, s)
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		for _, size := range []int{10, int(opts.PartSize) + 1000} {
			cctx, cancel := context.WithCancel(ctx)
			w, err := s.Create(cctx, "cancelled.bin")
			if err != nil {
				t.Fatal(err)
			}
			w.Write(randBytes(size, 5))
			cancel()
			if err := w.Close(); err == nil {
				t.Fatalf("Close after cancel succeeded (%d bytes)", size)
			}
		}
		assertKeys(t, s, "", nil)
		assertNoUploads(t, s)
	})

	t.Run("Overwrite", func(t *testing.T) {
		s := newStore(t)
		put(t, s, "x", []byte("one"))
		put(t, s, "x", []byte("two!"))
		if got := get(t, s, "x"); string(got) != "two!" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("List", func(t *testing.T) {
		s := newStore(t)
		keys := []string{"d/a.b", "d/a/b", "d/a/c/d.txt", "d/z", "d0", "e/f", "dd/x"}
		for _, k := range keys {
			put(t, s, k, []byte(k))
		}
		assertKeys(t, s, "d/", []string{"d/a.b", "d/a/b", "d/a/c/d.txt", "d/z"})
		assertKeys(t, s, "d/a", []string{"d/a.b", "d/a/b", "d/a/c/d.txt"})
		assertKeys(t, s, "d", []string{"d/a.b", "d/a/b", "d/a/c/d.txt", "d/z", "d0", "dd/x"})
		assertKeys(t, s, "", []string{"d/a.b", "d/a/b", "d/a/c/d.txt", "d/z", "d0", "dd/x", "e/f"})
		assertKeys(t, s, "nothing/", nil)
		var sizes []int64
		s.List(ctx, "e/", func(o ObjectInfo) error { sizes = append(sizes, o.Size); return nil })
		if len(sizes) != 1 || sizes[0] != 3 {
			t.Fatalf("sizes %v", sizes)
		}
		stop := errors.New("stop")
		n := 0
		if err := s.List(ctx, "", func(ObjectInfo) error { n++; return stop }); err != stop || n != 1 {
			t.Fatalf("stopping a listing: %v after %d", err, n)
		}
	})

	t.Run("Remove", func(t *testing.T) {
		s := newStore(t)
		put(t, s, "gone", []byte("x"))
		if err := s.Remove(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		if err := s.Remove(ctx, "gone"); err != nil {
			t.Fatalf("removing a missing key: %v", err)
		}
		if _, err := s.Stat(ctx, "gone"); !errors.Is(err, ErrNotExist) {
			t.Fatalf("stat after remove: %v", err)
		}
		if _, err := s.Open(ctx, "gone"); !errors.Is(err, ErrNotExist) {
			t.Fatalf("open after remove: %v", err)
		}
	})
}

func put(t testing.TB, s Store, key string, data []byte) {
	t.Helper()
	w, err := s.Create(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func get(t testing.TB, s Store, key string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertKeys(t testing.TB, s Store, prefix string, want []string) {
	t.Helper()
	var got []string
	if err := s.List(context.Background(), prefix, func(o ObjectInfo) error { got = append(got, o.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("List(%q) = %q, want %q", prefix, got, want)
	}
}

// assertNoUploads checks that no unfinished multipart upload is left.
func assertNoUploads(t testing.TB, s Store) {
	t.Helper()
	s3, ok := s.(*S3)
	if !ok {
		return
	}
	for u := range s3.Client().ListIncompleteUploads(context.Background(), s3.bucket, "", true) {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		t.Fatalf("an unfinished upload is left: %s (%s)", u.Key, u.UploadID)
	}
}

func randBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	for i := n - n%8; i < n; i++ {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestStorageLocalSuite(t *testing.T) {
	opts := Options{PartSize: 5 << 20, ChunkSize: 1 << 20}
	runSuite(t, func(t *testing.T) Store { return &Local{Dir: t.TempDir()} }, opts)
}
