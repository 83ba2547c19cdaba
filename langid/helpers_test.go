package langid

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/saring/saring"
	"github.com/saring/saring/fasttext"
	"github.com/saring/saring/internal/testenv"
)

var (
	lidOnce  sync.Once
	lidModel *fasttext.Model
	lidErr   error
)

// lid returns lid.176.ftz, skipping the test when it is absent.
func lid(t testing.TB) *fasttext.Model {
	t.Helper()
	p := testenv.LIDModel(t)
	lidOnce.Do(func() { lidModel, lidErr = LoadModel(p) })
	if lidErr != nil {
		t.Fatal(lidErr)
	}
	return lidModel
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
