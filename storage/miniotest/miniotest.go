// Package miniotest starts a MinIO server on 127.0.0.1 for tests. MinIO is a
// separate program (AGPL), installed by scripts/setup-minio.sh and run as
// its own process; nothing of it is linked into saring.
package miniotest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// ErrMissing means no MinIO binary was found.
var ErrMissing = errors.New("no MinIO server binary: run scripts/setup-minio.sh (it installs one into /var/cache/saring/bin or ~/.cache/saring/bin), or set SARING_MINIO")

// Find returns the MinIO binary: $SARING_MINIO, the cache directories
// scripts/setup-minio.sh installs into, or minio on PATH.
func Find() (string, error) {
	if p := os.Getenv("SARING_MINIO"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("SARING_MINIO=%s: %w", p, err)
		}
		return p, nil
	}
	cands := []string{"/var/cache/saring/bin/minio"}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".cache", "saring", "bin", "minio"))
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && st.Mode()&0o111 != 0 {
			return c, nil
		}
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	return "", ErrMissing
}

// Server is a running MinIO.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	User     string
	Password string
	dir      string
	cmd      *exec.Cmd
	log      *os.File
	waited   chan struct{}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start runs MinIO on a free port of 127.0.0.1 with a fresh data directory
// and waits until it is live.
func Start() (*Server, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "saring-minio-")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for try := 0; try < 3; try++ {
		lastErr = nil
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{
			Endpoint: "http://127.0.0.1:" + strconv.Itoa(port),
			User:     "saringtest",
			Password: "saringtest-secret",
			dir:      dir,
		}
		s.log, _ = os.Create(filepath.Join(dir, "minio.log"))
		s.cmd = exec.Command(bin, "server", filepath.Join(dir, "data"), "--address", "127.0.0.1:"+strconv.Itoa(port), "--quiet")
		s.cmd.Env = append(os.Environ(),
			"MINIO_ROOT_USER="+s.User, "MINIO_ROOT_PASSWORD="+s.Password,
			"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CI_CD=1")
		s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		// Pdeathsig fires when the thread that started the child ends: start
		// it from a thread that lives as long as the test binary.
		started := make(chan error)
		go func() {
			runtime.LockOSThread()
			started <- s.cmd.Start()
			select {}
		}()
		if err := <-started; err != nil {
			return nil, err
		}
		exited := make(chan struct{})
		go func() { s.cmd.Wait(); close(exited) }()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-exited:
				lastErr = fmt.Errorf("minio exited at start; see %s", s.log.Name())
			default:
			}
			if lastErr != nil {
				break
			}
			resp, err := http.Get(s.Endpoint + "/minio/health/live")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					s.waited = exited
					return s, nil
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		if lastErr == nil {
			lastErr = fmt.Errorf("minio not live after 60 s; see %s", s.log.Name())
		}
		s.cmd.Process.Kill()
		<-exited
	}
	return nil, lastErr
}

// Env sets the standard AWS variables for this server, for code that
// reads the environment as saring run does (call storage.ResetS3 after).
func (s *Server) Env(t testing.TB) {
	t.Setenv("AWS_ACCESS_KEY_ID", s.User)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s.Password)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", s.Endpoint)
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_PROFILE", "")
}

// MakeBucket creates a bucket (an existing one is fine).
func (s *Server) MakeBucket(name string) error {
	c, err := minio.New(strings.TrimPrefix(s.Endpoint, "http://"), &minio.Options{
		Creds:  credentials.NewStaticV4(s.User, s.Password, ""),
		Region: "us-east-1",
	})
	if err != nil {
		return err
	}
	ctx := context.Background()
	if ok, err := c.BucketExists(ctx, name); err == nil && ok {
		return nil
	}
	return c.MakeBucket(ctx, name, minio.MakeBucketOptions{})
}

// Stop ends the server and removes its data.
func (s *Server) Stop() {
	if s == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.waited:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.waited
	}
	s.log.Close()
	os.RemoveAll(s.dir)
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared starts one server for the whole test binary (call StopShared from
// TestMain). Where MinIO is missing, the test fails when CI=true and is
// skipped elsewhere.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = Start() })
	if shared.err != nil {
		if errors.Is(shared.err, ErrMissing) && os.Getenv("CI") != "true" {
			t.Skip(shared.err)
		}
		t.Fatal(shared.err)
	}
	return shared.srv
}

// StopShared stops the server Shared started, if any.
func StopShared() {
	if shared.srv != nil {
		shared.srv.Stop()
	}
}
