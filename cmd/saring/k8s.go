package main

import (
	"context"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/saring/saring"
	"github.com/saring/saring/executor"
)

type k8sCommandOptions struct {
	run     pipelineOptions
	k       executor.K8sOptions
	mount   string
	volumes []string
}

func newK8sCommand(g *globalOptions, reg *saring.Registry) *cobra.Command {
	o := &k8sCommandOptions{run: newPipelineOptions(), k: executor.K8sOptions{Name: "saring", Retries: 3, Saring: "saring"}}
	cmd := &cobra.Command{
		Use:   "k8s [PIPELINE.yaml]",
		Short: "Plan a run and print Kubernetes Indexed Jobs for its stages (YAML on standard output)",
		Long: `Plan the run (as saring run --tasks N does: this writes OUTDIR/.saring/plan.json
and OUTDIR/.saring/pipeline.yaml) and print one batch/v1 Job per stage, with
completionMode: Indexed, completions = the stage's tasks and the task index
from JOB_COMPLETION_INDEX. The Jobs can be applied all at once
(saring k8s ... | kubectl apply -f -): every pod of stage S > 0 first runs
"saring status OUTDIR --stage S-1 --wait" in an init container, so it starts
its task only when every task of the stage before has its marker.

The output directory is a shared volume (--pvc, ReadWriteMany) mounted in every
pod at --mount, which defaults to OUTDIR's absolute path: run saring k8s where
that volume is mounted at the same path (or where the same file system is),
since it writes the plan there. Inputs must be readable at the same paths in
the pods (--volume mounts further claims). A task that fails is retried up to
--retries times (backoffLimitPerIndex); a task already done exits at once.
Finished stages are left out when printed again.

The manifests are checked against the official k8s.io/api types in tests;
no Kubernetes cluster runs there.`,
		Example: `  saring k8s pipeline.yaml --tasks 64 --image registry.example/saring:1 --pvc crawl-out --cpu 4 --memory 8Gi | kubectl apply -f -
  saring k8s -i /data/crawl -o /data/out --tasks 8 --image saring:dev --pvc data --mount /data`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.run.file = args[0]
			}
			o.run.set = cmd.Flags().Changed
			return runK8s(cmd.Context(), g, reg, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	addPipelineFlags(f, &o.run)
	f.StringVar(&o.k.Image, "image", o.k.Image, "container image with saring on its PATH (required)")
	f.StringVar(&o.k.PVC, "pvc", o.k.PVC, "PersistentVolumeClaim of the shared volume that holds the output directory (required)")
	f.StringVar(&o.mount, "mount", o.mount, "where the claim is mounted in the pods (default: the output directory's absolute path)")
	f.StringArrayVar(&o.volumes, "volume", o.volumes, "a further claim to mount, CLAIM:/PATH or CLAIM:/PATH:ro (repeatable)")
	f.StringVar(&o.k.Name, "name", o.k.Name, "prefix of the Jobs' names (NAME-SS-STAGE)")
	f.StringVar(&o.k.Namespace, "namespace", o.k.Namespace, "namespace of the Jobs")
	f.IntVar(&o.k.Parallelism, "parallelism", o.k.Parallelism, "pods of a stage at once (0: all its tasks)")
	f.StringVar(&o.k.CPU, "cpu", o.k.CPU, "CPU request of each task, e.g. 4")
	f.StringVar(&o.k.Memory, "mem", o.k.Memory, "memory request and limit of each task, e.g. 8Gi (keep --memory, the dedup budget, well below it)")
	f.IntVar(&o.k.Retries, "retries", o.k.Retries, "attempts per task after the first (backoffLimitPerIndex)")
	f.IntVar(&o.k.Deadline, "deadline", o.k.Deadline, "activeDeadlineSeconds of each Job (0: none)")
	f.StringVar(&o.k.PullPolicy, "pull-policy", o.k.PullPolicy, "imagePullPolicy: Always, IfNotPresent or Never")
	f.StringVar(&o.k.ServiceAcct, "service-account", o.k.ServiceAcct, "serviceAccountName of the pods")
	f.StringArrayVar(&o.k.Env, "env", o.k.Env, "NAME=VALUE for every container (repeatable)")
	f.StringVar(&o.k.Saring, "saring", o.k.Saring, "the saring executable in the image")
	return cmd
}

// runK8s plans the run and writes the Jobs of its stages to w.
func runK8s(ctx context.Context, g *globalOptions, reg *saring.Registry, o *k8sCommandOptions, w io.Writer) error {
	p, err := planForCluster(ctx, g, reg, &o.run)
	if err != nil {
		return err
	}
	k := o.k
	k.Tasks = p.plan.Tasks
	k.Out, k.Pipeline, k.Dir = p.out, p.pipeline, p.dir
	mount := o.mount
	if mount == "" {
		mount = p.out
	}
	k.Out = mount
	if rel, err := filepath.Rel(p.out, p.pipeline); err == nil {
		k.Pipeline = filepath.Join(mount, rel)
	}
	if rel, err := filepath.Rel(p.out, p.dir); err == nil && filepath.IsLocal(rel) {
		k.Dir = filepath.Join(mount, rel)
	}
	for _, v := range o.volumes {
		kv, err := executor.ParseK8sVolume(v)
		if err != nil {
			return err
		}
		k.Volumes = append(k.Volumes, kv)
	}
	y, err := executor.K8sManifests(p.stages, k)
	if err != nil {
		return err
	}
	_, err = w.Write(y)
	return err
}
