package executor

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// K8sOptions say how the stages of a run become Kubernetes Indexed Jobs.
type K8sOptions struct {
	Out      string // output directory as the pods see it (the shared volume's mount path)
	Pipeline string // resolved pipeline file every task loads, as the pods see it
	Dir      string // working directory of the tasks; Out when empty
	Image    string // container image holding saring
	Saring   string // saring in the image; "saring" when empty (found on PATH)
	Tasks    int    // the run's --tasks

	Name        string // prefix of every Job's name; "saring" when empty
	Namespace   string
	PVC         string // claim of the shared volume mounted at Out
	Volumes     []K8sVolume
	Parallelism int // pods of a stage at once; 0: all its tasks
	CPU         string
	Memory      string
	Retries     int // backoffLimitPerIndex: attempts per task after the first
	Deadline    int // activeDeadlineSeconds of each Job; 0: none
	PullPolicy  string
	ServiceAcct string
	Env         []string // NAME=VALUE for every container
}

// K8sVolume is a further claim mounted into every pod (inputs, models).
type K8sVolume struct {
	Claim    string
	Path     string
	ReadOnly bool
}

// ParseK8sVolume reads CLAIM:PATH[:ro].
func ParseK8sVolume(s string) (K8sVolume, error) {
	f := strings.Split(s, ":")
	if len(f) < 2 || len(f) > 3 || f[0] == "" || !filepath.IsAbs(f[1]) || (len(f) == 3 && f[2] != "ro") {
		return K8sVolume{}, fmt.Errorf("volume %q: want CLAIM:/ABSOLUTE/PATH or CLAIM:/ABSOLUTE/PATH:ro", s)
	}
	return K8sVolume{Claim: f[0], Path: f[1], ReadOnly: len(f) == 3}, nil
}

// The manifest types below are the fields of k8s.io/api's batch/v1 Job
// that saring sets, with the same JSON names; deploy/k8scheck decodes the
// output strictly into the official types to keep them honest.
type k8sJob struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   k8sMeta    `yaml:"metadata"`
	Spec       k8sJobSpec `yaml:"spec"`
}

type k8sMeta struct {
	Name        string            `yaml:"name,omitempty"`
	Namespace   string            `yaml:"namespace,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type k8sJobSpec struct {
	CompletionMode        string      `yaml:"completionMode"`
	Completions           int         `yaml:"completions"`
	Parallelism           int         `yaml:"parallelism"`
	BackoffLimitPerIndex  *int        `yaml:"backoffLimitPerIndex,omitempty"`
	ActiveDeadlineSeconds *int        `yaml:"activeDeadlineSeconds,omitempty"`
	Template              k8sTemplate `yaml:"template"`
}

type k8sTemplate struct {
	Metadata k8sMeta    `yaml:"metadata"`
	Spec     k8sPodSpec `yaml:"spec"`
}

type k8sPodSpec struct {
	RestartPolicy      string         `yaml:"restartPolicy"`
	ServiceAccountName string         `yaml:"serviceAccountName,omitempty"`
	InitContainers     []k8sContainer `yaml:"initContainers,omitempty"`
	Containers         []k8sContainer `yaml:"containers"`
	Volumes            []k8sVol       `yaml:"volumes,omitempty"`
}

type k8sContainer struct {
	Name            string        `yaml:"name"`
	Image           string        `yaml:"image"`
	ImagePullPolicy string        `yaml:"imagePullPolicy,omitempty"`
	Command         []string      `yaml:"command"`
	WorkingDir      string        `yaml:"workingDir,omitempty"`
	Env             []k8sEnv      `yaml:"env,omitempty"`
	Resources       *k8sResources `yaml:"resources,omitempty"`
	VolumeMounts    []k8sVolMount `yaml:"volumeMounts,omitempty"`
}

type k8sEnv struct {
	Name      string        `yaml:"name"`
	Value     string        `yaml:"value,omitempty"`
	ValueFrom *k8sEnvSource `yaml:"valueFrom,omitempty"`
}

type k8sEnvSource struct {
	FieldRef *k8sFieldRef `yaml:"fieldRef,omitempty"`
}

type k8sFieldRef struct {
	FieldPath string `yaml:"fieldPath"`
}

type k8sResources struct {
	Requests map[string]string `yaml:"requests,omitempty"`
	Limits   map[string]string `yaml:"limits,omitempty"`
}

type k8sVolMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	ReadOnly  bool   `yaml:"readOnly,omitempty"`
}

type k8sVol struct {
	Name                  string       `yaml:"name"`
	PersistentVolumeClaim *k8sClaimRef `yaml:"persistentVolumeClaim,omitempty"`
}

type k8sClaimRef struct {
	ClaimName string `yaml:"claimName"`
	ReadOnly  bool   `yaml:"readOnly,omitempty"`
}

// K8sJobName is the name of a stage's Job: PREFIX-SS-SLUG, at most 63
// characters of lower-case letters, digits and dashes.
func K8sJobName(prefix string, s Stage) string {
	if prefix == "" {
		prefix = "saring"
	}
	n := Slug(fmt.Sprintf("%s-%02d-%s", prefix, s.Index, stageLabel(s)))
	if len(n) > 63 {
		n = strings.TrimRight(n[:63], "-")
	}
	return n
}

// K8sManifests returns one Indexed Job per stage with tasks to run, as a
// multi-document YAML stream. Every pod of stage S > 0 first runs
// `saring status OUT --stage S-1 --wait` in an init container, which
// returns once every task of stage S-1 has a marker; so all Jobs may be
// applied at once and the stages still run in order.
func K8sManifests(stages []Stage, o K8sOptions) ([]byte, error) {
	if o.Image == "" {
		return nil, errors.New("k8s: --image is needed")
	}
	if o.PVC == "" {
		return nil, errors.New("k8s: --pvc is needed: the claim of the shared volume that holds the output directory")
	}
	if !filepath.IsAbs(o.Out) || !filepath.IsAbs(o.Pipeline) {
		return nil, errors.New("k8s: the output directory and pipeline file must be absolute paths")
	}
	saring := o.Saring
	if saring == "" {
		saring = "saring"
	}
	dir := o.Dir
	if dir == "" {
		dir = o.Out
	}
	mounts := []k8sVolMount{{Name: "out", MountPath: o.Out}}
	vols := []k8sVol{{Name: "out", PersistentVolumeClaim: &k8sClaimRef{ClaimName: o.PVC}}}
	for i, v := range o.Volumes {
		name := "vol-" + strconv.Itoa(i)
		mounts = append(mounts, k8sVolMount{Name: name, MountPath: v.Path, ReadOnly: v.ReadOnly})
		vols = append(vols, k8sVol{Name: name, PersistentVolumeClaim: &k8sClaimRef{ClaimName: v.Claim, ReadOnly: v.ReadOnly}})
	}
	var env []k8sEnv
	for _, e := range o.Env {
		k, v, ok := strings.Cut(e, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("k8s: environment %q: want NAME=VALUE", e)
		}
		env = append(env, k8sEnv{Name: k, Value: v})
	}
	var res *k8sResources
	if o.CPU != "" || o.Memory != "" {
		res = &k8sResources{Requests: map[string]string{}, Limits: map[string]string{}}
		if o.CPU != "" {
			res.Requests["cpu"] = o.CPU
		}
		if o.Memory != "" {
			res.Requests["memory"] = o.Memory
			res.Limits["memory"] = o.Memory
		}
		if len(res.Limits) == 0 {
			res.Limits = nil
		}
	}

	var buf bytes.Buffer
	prev := -1
	for _, s := range stages {
		if len(s.Todo) == 0 {
			prev = s.Index
			continue
		}
		labels := map[string]string{
			"app.kubernetes.io/name":       "saring",
			"app.kubernetes.io/component":  "stage-" + strconv.Itoa(s.Index),
			"app.kubernetes.io/managed-by": "saring",
		}
		taskEnv := append([]k8sEnv{{Name: "JOB_COMPLETION_INDEX", ValueFrom: &k8sEnvSource{
			FieldRef: &k8sFieldRef{FieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}}, env...)
		cmd := []string{saring, "run", o.Pipeline, "--tasks", strconv.Itoa(o.Tasks), "--stage", strconv.Itoa(s.Index)}
		main := k8sContainer{Name: "saring", Image: o.Image, ImagePullPolicy: o.PullPolicy, Command: cmd,
			WorkingDir: dir, Env: taskEnv, Resources: res, VolumeMounts: mounts}
		pod := k8sPodSpec{RestartPolicy: "Never", ServiceAccountName: o.ServiceAcct, Containers: []k8sContainer{main}, Volumes: vols}
		if prev >= 0 {
			pod.InitContainers = []k8sContainer{{
				Name: "wait-for-stage-" + strconv.Itoa(prev), Image: o.Image, ImagePullPolicy: o.PullPolicy,
				Command:    []string{saring, "status", o.Out, "--stage", strconv.Itoa(prev), "--wait", "--quiet"},
				WorkingDir: dir, Env: env,
				Resources:    &k8sResources{Requests: map[string]string{"cpu": "10m", "memory": "64Mi"}},
				VolumeMounts: mounts,
			}}
		}
		par := s.Tasks
		if o.Parallelism > 0 && o.Parallelism < par {
			par = o.Parallelism
		}
		job := k8sJob{
			APIVersion: "batch/v1", Kind: "Job",
			Metadata: k8sMeta{Name: K8sJobName(o.Name, s), Namespace: o.Namespace, Labels: labels,
				Annotations: map[string]string{"saring/stage": fmt.Sprintf("%d: %s", s.Index, s.Name)}},
			Spec: k8sJobSpec{CompletionMode: "Indexed", Completions: s.Tasks, Parallelism: par,
				Template: k8sTemplate{Metadata: k8sMeta{Labels: labels}, Spec: pod}},
		}
		if o.Retries >= 0 {
			r := o.Retries
			job.Spec.BackoffLimitPerIndex = &r
		}
		if o.Deadline > 0 {
			d := o.Deadline
			job.Spec.ActiveDeadlineSeconds = &d
		}
		if buf.Len() > 0 {
			buf.WriteString("---\n")
		}
		fmt.Fprintf(&buf, "# stage %d of %d: %s (%s), %d tasks\n", s.Index, len(stages), s.Name, s.Kind, s.Tasks)
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(job); err != nil {
			return nil, err
		}
		enc.Close()
		prev = s.Index
	}
	return buf.Bytes(), nil
}
