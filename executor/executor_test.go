package executor

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestRanges(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{
		{[]int{0, 1, 2, 3}, "0-3"},
		{[]int{1, 4, 5, 6, 9}, "1,4-6,9"},
		{[]int{7}, "7"},
		{[]int{3, 1, 2}, "1-3"},
		{nil, ""},
	} {
		if got := Ranges(c.in); got != c.want {
			t.Errorf("Ranges(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSlug(t *testing.T) {
	if got := Slug("minhash: decide"); got != "minhash-decide" {
		t.Errorf("got %q", got)
	}
	if got := K8sJobName(strings.Repeat("Very long prefix ", 10), Stage{Index: 2, Kind: "decide", Name: "x"}); len(got) > 63 || !strings.HasPrefix(got, "very-long-prefix") {
		t.Errorf("got %q", got)
	}
}

func testStages() []Stage {
	return []Stage{
		{Index: 0, Name: "extract..pii", Kind: "docs", Tasks: 4, Todo: nil},
		{Index: 1, Name: "exact_dedup: decide", Kind: "decide", Tasks: 4, Todo: []int{1, 3}},
		{Index: 2, Name: "exact_dedup..minhash", Kind: "docs", Tasks: 4, Todo: AllTasks(4)},
		{Index: 3, Name: "minhash: decide", Kind: "decide", Tasks: 1, Todo: AllTasks(1)},
	}
}

func TestSlurmScripts(t *testing.T) {
	o := SlurmOptions{Out: "/data/out", Pipeline: "/data/out/.saring/pipeline.yaml", Dir: "/home/u/my run", Saring: "/opt/saring",
		Tasks: 4, MaxParallel: 2, Partition: "cpu", Time: "2:00:00", Mem: "8G", CPUsPerTask: 4,
		Extra: []string{"--account=lm", "--qos=low"}, JobName: "cc"}
	scripts, err := SlurmScripts(testStages(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != 3 {
		t.Fatalf("%d scripts, want 3 (stage 0 is complete)", len(scripts))
	}
	s := scripts[0]
	if s.Path != "/data/out/.saring/slurm/stage-01.sbatch" {
		t.Errorf("path %s", s.Path)
	}
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --job-name=cc-01-exact-dedup-decide\n",
		"#SBATCH --array=1,3%2\n",
		"#SBATCH --output=/data/out/.saring/logs/stage-01-task-%5a.log\n",
		"#SBATCH --partition=cpu\n",
		"#SBATCH --time=2:00:00\n",
		"#SBATCH --mem=8G\n",
		"#SBATCH --cpus-per-task=4\n",
		"#SBATCH --account=lm\n#SBATCH --qos=low\n",
		"cd '/home/u/my run'\n",
		`exec /opt/saring run /data/out/.saring/pipeline.yaml --tasks 4 --stage 1 --task "$SLURM_ARRAY_TASK_ID" --workers 4` + "\n",
	} {
		if !strings.Contains(s.Text, want) {
			t.Errorf("script lacks %q:\n%s", want, s.Text)
		}
	}
	if !strings.HasPrefix(s.Text, "#!") {
		t.Error("the script must start with #!")
	}
	// Every #SBATCH line comes before the first command: sbatch stops
	// reading them there.
	seenCmd := false
	for _, l := range strings.Split(s.Text, "\n") {
		if strings.HasPrefix(l, "#SBATCH") && seenCmd {
			t.Errorf("#SBATCH after a command: %q", l)
		}
		if l != "" && !strings.HasPrefix(l, "#") {
			seenCmd = true
		}
	}
	if !strings.Contains(scripts[2].Text, "#SBATCH --array=0%2\n") {
		t.Errorf("a one-task stage:\n%s", scripts[2].Text)
	}
	dry := DryRun(scripts)
	for _, want := range []string{
		"# ==> /data/out/.saring/slurm/stage-01.sbatch <==\n#!/bin/bash\n",
		"job01=$(sbatch --parsable /data/out/.saring/slurm/stage-01.sbatch)\n",
		"job02=$(sbatch --parsable --dependency=afterok:$job01 /data/out/.saring/slurm/stage-02.sbatch)\n",
		"job03=$(sbatch --parsable --dependency=afterok:$job02 /data/out/.saring/slurm/stage-03.sbatch)\n",
	} {
		if !strings.Contains(dry, want) {
			t.Errorf("dry run lacks %q:\n%s", want, dry)
		}
	}
	if _, err := SlurmScripts(testStages(), SlurmOptions{Out: "/o", Pipeline: "/o/p", Saring: "s", Extra: []string{"--x\n#SBATCH --y"}}); err == nil {
		t.Error("an sbatch argument with a line break was taken")
	}
}

func TestK8sManifests(t *testing.T) {
	o := K8sOptions{Out: "/data/out", Pipeline: "/data/out/.saring/pipeline.yaml", Image: "ghcr.io/x/saring:1", Tasks: 4,
		PVC: "crawl", Parallelism: 2, CPU: "2", Memory: "4Gi", Retries: 3}
	y, err := K8sManifests(testStages(), o)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(y)))
	var jobs []map[string]any
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			break
		}
		jobs = append(jobs, m)
	}
	if len(jobs) != 3 {
		t.Fatalf("%d documents, want 3:\n%s", len(jobs), y)
	}
	if !strings.Contains(string(y), "- /data/out\n") || !strings.Contains(string(y), "--wait") {
		t.Errorf("no wait for the previous stage:\n%s", y)
	}
	if _, err := K8sManifests(testStages(), K8sOptions{Out: "/o", Pipeline: "/o/p", Image: "i"}); err == nil {
		t.Error("no PVC was taken")
	}
}
