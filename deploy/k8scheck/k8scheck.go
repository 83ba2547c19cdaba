// Package k8scheck checks the Kubernetes manifests `saring k8s` prints
// against the official API types. It is a module of its own so that the
// Kubernetes dependencies stay out of saring's go.mod; its test builds
// saring from the repository, runs `saring k8s`, and decodes every document
// strictly (unknown fields fail) into k8s.io/api's batch/v1 Job.
//
// No Kubernetes cluster runs here: the check is of the manifests' shape and
// values, not of a cluster running them.
package k8scheck

import (
	"bytes"
	"fmt"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

// DecodeJobs splits a multi-document YAML stream and decodes each
// document strictly into a batch/v1 Job.
func DecodeJobs(stream []byte) ([]batchv1.Job, error) {
	var jobs []batchv1.Job
	for i, doc := range splitDocuments(stream) {
		var j batchv1.Job
		if err := yaml.UnmarshalStrict(doc, &j); err != nil {
			return nil, fmt.Errorf("document %d: %w\n%s", i, err, doc)
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

func splitDocuments(stream []byte) [][]byte {
	var docs [][]byte
	for _, part := range bytes.Split(stream, []byte("\n---\n")) {
		empty := true
		for _, l := range strings.Split(string(part), "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") && t != "---" {
				empty = false
				break
			}
		}
		if !empty {
			docs = append(docs, part)
		}
	}
	return docs
}
