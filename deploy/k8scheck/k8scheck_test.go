package k8scheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// saring builds the saring command from the repository two levels up.
func saring(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "saring")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/saring")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestManifestsDecodeStrictly(t *testing.T) {
	bin := saring(t)
	root, _ := filepath.Abs("../..")
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, "k8s", "-q", "-i", "examples/news.jsonl", "-i", "examples/pages.warc.gz", "-o", out,
		"--tasks", "4", "--image", "registry.example/saring:1", "--pvc", "crawl-out", "--parallelism", "2",
		"--cpu", "2", "--mem", "4Gi", "--volume", "models:/models:ro", "--env", "SARING_LID_MODEL=/models/lid.176.ftz",
		"--namespace", "data")
	cmd.Dir = root
	y, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("saring k8s: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	jobs, err := DecodeJobs(y)
	if err != nil {
		t.Fatal(err)
	}
	// The default pipeline: docs, exact_dedup decide, docs, minhash decide, docs.
	if len(jobs) != 5 {
		t.Fatalf("%d Jobs, want 5:\n%s", len(jobs), y)
	}
	wantTasks := []int32{4, 4, 4, 1, 4}
	for i, j := range jobs {
		s := j.Spec
		if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Namespace != "data" {
			t.Errorf("job %d: %s %s in %q", i, j.APIVersion, j.Kind, j.Namespace)
		}
		if !strings.HasPrefix(j.Name, "saring-0") || len(j.Name) > 63 {
			t.Errorf("job %d name %q", i, j.Name)
		}
		if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
			t.Errorf("job %d: completionMode %v", i, s.CompletionMode)
		}
		if s.Completions == nil || *s.Completions != wantTasks[i] {
			t.Errorf("job %d: completions %v, want %d", i, s.Completions, wantTasks[i])
		}
		if s.Parallelism == nil || *s.Parallelism != min(2, wantTasks[i]) {
			t.Errorf("job %d: parallelism %v", i, s.Parallelism)
		}
		if s.BackoffLimitPerIndex == nil || *s.BackoffLimitPerIndex != 3 {
			t.Errorf("job %d: backoffLimitPerIndex %v", i, s.BackoffLimitPerIndex)
		}
		pod := s.Template.Spec
		if pod.RestartPolicy != corev1.RestartPolicyNever {
			t.Errorf("job %d: restartPolicy %q (backoffLimitPerIndex needs Never)", i, pod.RestartPolicy)
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("job %d: %d containers", i, len(pod.Containers))
		}
		c := pod.Containers[0]
		wantCmd := []string{"saring", "run", filepath.Join(out, ".saring", "pipeline.yaml"), "--tasks", "4", "--stage", string(rune('0' + i))}
		if strings.Join(c.Command, " ") != strings.Join(wantCmd, " ") {
			t.Errorf("job %d: command %q, want %q", i, c.Command, wantCmd)
		}
		if c.Image != "registry.example/saring:1" || c.WorkingDir == "" {
			t.Errorf("job %d: image %q workingDir %q", i, c.Image, c.WorkingDir)
		}
		idx := false
		for _, e := range c.Env {
			if e.Name == "JOB_COMPLETION_INDEX" && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil &&
				e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
				idx = true
			}
		}
		if !idx {
			t.Errorf("job %d: no JOB_COMPLETION_INDEX", i)
		}
		if c.Resources.Requests.Cpu().String() != "2" || c.Resources.Limits.Memory().String() != "4Gi" {
			t.Errorf("job %d: resources %+v", i, c.Resources)
		}
		mounts := map[string]string{}
		for _, m := range c.VolumeMounts {
			mounts[m.Name] = m.MountPath
		}
		claims := map[string]string{}
		for _, v := range pod.Volumes {
			if v.PersistentVolumeClaim == nil {
				t.Errorf("job %d: volume %s is not a claim", i, v.Name)
				continue
			}
			claims[v.Name] = v.PersistentVolumeClaim.ClaimName
		}
		if claims["out"] != "crawl-out" || mounts["out"] != out {
			t.Errorf("job %d: output volume %v mounted %v, want crawl-out at %s", i, claims, mounts, out)
		}
		// Stages after the first wait for the one before.
		if i == 0 {
			if len(pod.InitContainers) != 0 {
				t.Errorf("job 0 waits for something: %+v", pod.InitContainers)
			}
			continue
		}
		if len(pod.InitContainers) != 1 {
			t.Fatalf("job %d: %d init containers, want 1", i, len(pod.InitContainers))
		}
		w := pod.InitContainers[0]
		want := []string{"saring", "status", out, "--stage", string(rune('0' + i - 1)), "--wait", "--quiet"}
		if strings.Join(w.Command, " ") != strings.Join(want, " ") {
			t.Errorf("job %d: init command %q, want %q", i, w.Command, want)
		}
	}
	// The plan the pods load was written.
	if _, err := os.Stat(filepath.Join(out, ".saring", "pipeline.yaml")); err != nil {
		t.Error(err)
	}
}

// A field the API does not have fails the strict decode.
func TestStrictDecodeRefusesUnknownFields(t *testing.T) {
	_, err := DecodeJobs([]byte("apiVersion: batch/v1\nkind: Job\nspec:\n  completionMode: Indexed\n  completion: 3\n"))
	if err == nil {
		t.Fatal("an unknown field was accepted")
	}
}
