package langid

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/fasttext"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

var (
	lidOnce  sync.Once
	lidModel *fasttext.Model
	lidErr   error
)

// lid returns lid.176.ftz, skipping the test when it is absent.
func lid(t testing.TB) *fasttext.Model {
	t.Helper()
	p := os.Getenv(ModelEnv)
	if p == "" {
		p = filepath.Join(repoRoot(t), "models", DefaultModelFile)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found at %s: run scripts/get-model.sh", DefaultModelFile, p)
	}
	lidOnce.Do(func() { lidModel, lidErr = LoadModel(p) })
	if lidErr != nil {
		t.Fatal(lidErr)
	}
	return lidModel
}

// sharedFile returns a file under the shared data directory beside the
// repository, skipping the test when it is absent.
func sharedFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(filepath.Dir(repoRoot(t)), "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data %s not found", p)
	}
	return p
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// readDocs reads documents separated by lines holding "---".
func readDocs(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, d := range strings.Split(string(b), "\n---\n") {
		if d = strings.TrimSpace(d); d != "" {
			docs = append(docs, d)
		}
	}
	return docs
}

func newLanguage(t testing.TB, edit func(*LanguageOptions)) *Language {
	t.Helper()
	o := DefaultLanguageOptions()
	if edit != nil {
		edit(&o)
	}
	s, err := NewLanguageWithModel(o, lid(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func doc(text string) *saring.Document { return &saring.Document{Text: text} }
