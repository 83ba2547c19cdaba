package langid

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/saring/saring/fasttext"
)

// DefaultModelFile is fastText's language-ID model for 176 languages.
const DefaultModelFile = "lid.176.ftz"

// ModelEnv names the environment variable that points at the language-ID model.
const ModelEnv = "SARING_LID_MODEL"

// FindModel returns the language-ID model file to use: path when given,
// else $SARING_LID_MODEL, else models/lid.176.ftz under the working
// directory, else beside the executable (../models/, models/ or the same
// directory). The error says how to get the model.
func FindModel(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("language-ID model %s: %w (run scripts/get-model.sh to download lid.176.ftz)", path, err)
		}
		return path, nil
	}
	if p := os.Getenv(ModelEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("language-ID model %s (from $%s): %w (run scripts/get-model.sh to download lid.176.ftz)", p, ModelEnv, err)
		}
		return p, nil
	}
	tried := []string{filepath.Join("models", DefaultModelFile)}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		dir := filepath.Dir(exe)
		tried = append(tried,
			filepath.Join(dir, "..", "models", DefaultModelFile),
			filepath.Join(dir, "models", DefaultModelFile),
			filepath.Join(dir, DefaultModelFile))
	}
	for _, p := range tried {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("language-ID model %s not found (looked in %s); run scripts/get-model.sh from the saring repository to download it, or give its path with the model option (--model) or $%s",
		DefaultModelFile, strings.Join(tried, ", "), ModelEnv)
}

var models sync.Map // absolute path -> *modelEntry

type modelEntry struct {
	once sync.Once
	m    *fasttext.Model
	err  error
}

// LoadModel loads a fastText model once per process: every step naming the
// same file shares one read-only copy.
func LoadModel(path string) (*fasttext.Model, error) {
	if path == "" {
		return nil, errors.New("no model path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	v, _ := models.LoadOrStore(abs, &modelEntry{})
	e := v.(*modelEntry)
	e.once.Do(func() { e.m, e.err = fasttext.Load(abs) })
	return e.m, e.err
}
