// Package slurmtest starts a real single-node Slurm cluster on localhost for
// tests: munged (when it is not already running), then slurmctld and slurmd
// with a minimal slurm.conf in a temporary directory; slurmctld and slurmd
// are stopped by the PIDs in their pid files when the test ends. Clients (sbatch,
// squeue, scancel, and saring's Slurm executor) find it through SLURM_CONF,
// which Start sets for the test.
//
// Debian's slurm-wlm and munge provide the daemons; scripts/setup-slurm.sh
// installs them. Without them, or without root (slurmd runs jobs as the
// submitting user and must start as root), the test is skipped, except
// under CI=true, where a missing cluster is a failure: CI must run the
// Slurm tests, not pass by skipping them.
//
// Only test files import it.
package slurmtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Cluster is a running single-node cluster.
type Cluster struct {
	Dir       string // the temporary directory holding slurm.conf, state, spool and logs
	Conf      string // Dir/slurm.conf
	Partition string // the one partition, "debug"
	CPUs      int
}

// Env returns the environment clients need (SLURM_CONF) appended to the
// current one.
func (c *Cluster) Env() []string {
	return append(os.Environ(), "SLURM_CONF="+c.Conf)
}

// Log returns the daemons' logs, for failure messages.
func (c *Cluster) Log() string {
	var b strings.Builder
	for _, n := range []string{"slurmctld.log", "slurmd.log"} {
		data, _ := os.ReadFile(filepath.Join(c.Dir, "log", n))
		fmt.Fprintf(&b, "==> %s <==\n%s\n", n, tail(data, 4000))
	}
	return b.String()
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

var binaries = []string{"munged", "munge", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo", "scontrol"}

// unavailable skips the test, or fails it under CI=true.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("Slurm is needed under CI=true: %s", msg)
	}
	t.Skipf("Slurm not available: %s (scripts/setup-slurm.sh installs it)", msg)
}

func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin", "/sbin"} {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found", name)
}

// Start starts a cluster and stops it when the test ends. The test's
// environment gets SLURM_CONF (t.Setenv), so Start cannot be used by
// parallel tests.
func Start(t testing.TB) *Cluster {
	t.Helper()
	paths := map[string]string{}
	for _, b := range binaries {
		p, err := lookPath(b)
		if err != nil {
			unavailable(t, "%v", err)
		}
		paths[b] = p
	}
	if os.Geteuid() != 0 {
		unavailable(t, "slurmd must start as root to run jobs")
	}
	startMunge(t, paths)

	dir, err := os.MkdirTemp("", "slurmtest-")
	if err != nil {
		t.Fatal(err)
	}
	// slurmd and job steps read the spool as other users may need to.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"state", "spool", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c := &Cluster{Dir: dir, Conf: filepath.Join(dir, "slurm.conf"), Partition: "debug", CPUs: runtime.NumCPU()}
	ctldPort, dPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`ClusterName=saringtest
SlurmctldHost=localhost
SlurmctldPort=%d
SlurmdPort=%d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=%[3]s/state
SlurmdSpoolDir=%[3]s/spool
SlurmctldPidFile=%[3]s/slurmctld.pid
SlurmdPidFile=%[3]s/slurmd.pid
SlurmctldLogFile=%[3]s/log/slurmctld.log
SlurmdLogFile=%[3]s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerParameters=sched_interval=1
MessageTimeout=30
KillWait=2
InactiveLimit=0
NodeName=localhost CPUs=%[4]d RealMemory=%[5]d State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`, ctldPort, dPort, dir, c.CPUs, realMemoryMB())
	if err := os.WriteFile(c.Conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_CONF", c.Conf)

	t.Cleanup(func() {
		for _, n := range []string{"slurmd.pid", "slurmctld.pid"} {
			stopPidFile(filepath.Join(dir, n))
		}
		if !t.Failed() {
			os.RemoveAll(dir)
		} else {
			t.Logf("slurm state kept in %s", dir)
		}
	})
	for _, cmd := range [][]string{
		{paths["slurmctld"], "-f", c.Conf},
		{paths["slurmd"], "-f", c.Conf, "-N", "localhost"},
	} {
		out, err := c.command(cmd[0], cmd[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s\n%s", strings.Join(cmd, " "), err, out, c.Log())
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _ := c.command(paths["sinfo"], "-h", "-N", "-o", "%T").Output()
		state := strings.TrimSpace(string(out))
		if state == "idle" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Slurm node did not become idle in 60 s (state %q)\n%s", state, c.Log())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return c
}

func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = c.Env()
	return cmd
}

// Command returns a client command (sbatch, squeue, ...) with SLURM_CONF set.
func (c *Cluster) Command(name string, args ...string) *exec.Cmd {
	p, err := lookPath(name)
	if err != nil {
		p = name
	}
	return c.command(p, args...)
}

// startMunge starts munged unless a running one answers. munged is left
// running when the test ends: it is the machine's one authentication
// daemon, which other test processes (go test runs packages in parallel)
// may be using at the same time. A file lock keeps two of them from
// starting it at once.
func startMunge(t testing.TB, paths map[string]string) {
	t.Helper()
	lf, err := os.OpenFile(filepath.Join(os.TempDir(), "saring-slurmtest-munge.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN)
	if mungeWorks(paths) {
		return
	}
	for _, d := range []string{"/etc/munge", "/run/munge", "/var/lib/munge", "/var/log/munge"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	key := "/etc/munge/munge.key"
	if _, err := os.Stat(key); err != nil {
		b := make([]byte, 1024)
		f, err := os.Open("/dev/urandom")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Read(b)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(key, b, 0o400); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "-R", "munge:munge", "/etc/munge", "/run/munge", "/var/lib/munge", "/var/log/munge").CombinedOutput(); err != nil {
		t.Fatalf("chown munge directories: %v\n%s", err, out)
	}
	os.Chmod(key, 0o400)
	// -f: the log directory's ownership warning is harmless here.
	if out, err := exec.Command(paths["munged"], "-f").CombinedOutput(); err != nil {
		t.Fatalf("munged: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !mungeWorks(paths) {
		if time.Now().After(deadline) {
			t.Fatal("munged started but munge -n | unmunge does not succeed")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func mungeWorks(paths map[string]string) bool {
	cred, err := exec.Command(paths["munge"], "-n").Output()
	if err != nil {
		return false
	}
	un := exec.Command(filepath.Join(filepath.Dir(paths["munge"]), "unmunge"))
	un.Stdin = bytes.NewReader(cred)
	return un.Run() == nil
}

// stopPidFile sends SIGTERM to the process in a pid file and waits for it
// to exit (SIGKILL after 10 s).
func stopPidFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return
	}
	if syscall.Kill(pid, syscall.SIGTERM) != nil {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// realMemoryMB is a little below the machine's memory, so that slurmd never
// reports less than slurm.conf promises (which drains the node).
func realMemoryMB() int {
	data, err := os.ReadFile("/proc/meminfo")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.Atoi(f[1]); err == nil && kb > 2<<20 {
					return kb/1024 - 1024
				}
			}
		}
	}
	return 1000
}
