package viewer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"time"
)

// Options configure Serve.
type Options struct {
	OutDir   string
	IndexDir string // default OUTDIR/.index
	Addr     string // default 127.0.0.1:8080
	Explain  ExplainFunc
	Log      io.Writer
	// Ready, when set, is called with the listening address once the
	// server accepts connections (tests listen on port 0).
	Ready func(addr string)
}

// Serve indexes OUTDIR when needed and serves the viewer until ctx ends.
func Serve(ctx context.Context, o Options) error {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	if o.IndexDir == "" {
		o.IndexDir = filepath.Join(o.OutDir, ".index")
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	start := time.Now()
	man, built, err := Open(ctx, o.OutDir, o.IndexDir)
	if err != nil {
		return err
	}
	if built {
		fmt.Fprintf(o.Log, "indexed %d documents in %.2f s into %s\n", man.Docs, time.Since(start).Seconds(), o.IndexDir)
	}
	for _, f := range man.Files {
		if f.Error != "" {
			fmt.Fprintf(o.Log, "note: %s: %s (documents before the error are listed)\n", f.Rel, f.Error)
		}
	}
	st, err := OpenStore(o.OutDir, o.IndexDir, man)
	if err != nil {
		return err
	}
	defer st.Close()
	h := NewHandler(st, o.Explain)
	for _, u := range h.Unfinished {
		fmt.Fprintf(o.Log, "warning: %s\n", u)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (pick another with --addr): %w", o.Addr, err)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
		fmt.Fprintf(o.Log, "warning: serving on %s: anyone who can reach it can read the documents\n", ln.Addr())
		AllowedHosts[host] = true
		if ip.IsUnspecified() {
			// Bound to every interface: accept any Host header.
			allowAnyHost = true
		}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	fmt.Fprintf(o.Log, "serving %s on http://%s/ (Ctrl-C to stop)\n", o.OutDir, ln.Addr())
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
}
