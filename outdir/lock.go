package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Lock is a lock file holding the PID and host of its owner.
type Lock struct{ path string }

type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	What    string    `json:"what"`
}

// ErrLocked is wrapped when another live process holds a lock.
var ErrLocked = errors.New("locked by another process")

// Acquire takes the lock at path for what (a description for the message a
// second process gets). A lock left by a process that is gone (same host,
// PID not alive) is taken over; a lock held by a live process, or by a
// process on another host, is refused with a message saying how to proceed.
func Acquire(path, what string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	me := lockInfo{PID: os.Getpid(), Host: host, Started: time.Now().UTC(), What: what}
	b, _ := json.Marshal(me)
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(b)
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(path)
				return nil, fmt.Errorf("%s: %v", path, errors.Join(werr, cerr))
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		old, rerr := os.ReadFile(path)
		var info lockInfo
		if rerr != nil || json.Unmarshal(old, &info) != nil {
			// Half-written by a process killed between create and write.
			if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) > 10*time.Second {
				os.Remove(path)
				continue
			}
			return nil, fmt.Errorf("%w: %s is being taken by another process; try again", ErrLocked, path)
		}
		if info.Host == host && !alive(info.PID) {
			os.Remove(path) // stale: its owner died without removing it
			continue
		}
		return nil, fmt.Errorf("%w: %s is held by %s (pid %d on %s since %s); wait for it, or remove %s if that process is gone",
			ErrLocked, what, info.What, info.PID, info.Host, info.Started.Format(time.RFC3339), path)
	}
	return nil, fmt.Errorf("%w: could not take %s", ErrLocked, path)
}

// Release removes the lock.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	return os.Remove(l.path)
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	if err == nil || errors.Is(err, syscall.EPERM) {
		// A zombie is not a live owner.
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
			for i := len(b) - 1; i > 0; i-- {
				if b[i] == ')' {
					if i+2 < len(b) && b[i+2] == 'Z' {
						return false
					}
					break
				}
			}
		}
		return true
	}
	return false
}
