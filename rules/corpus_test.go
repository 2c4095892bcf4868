package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
	"github.com/tightlip/tightlip/rules/rulestest"
)

const corpus = "../testdata/corpus"

// TestCleanCorpus runs every rule over Dockerfiles that handle credentials correctly (or have none) and
// fails on any error-level finding. go test -v prints the counts.
func TestCleanCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpus, "clean", "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Errorf("the clean corpus has %d Dockerfiles, want at least 50", len(files))
	}
	counts := map[rules.Severity]int{}
	byRule := map[string]int{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := model.Parse(filepath.Base(file), data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		var opts rules.Options
		if dir := strings.TrimSuffix(file, ".Dockerfile") + ".context"; isDir(dir) {
			if opts.Context, err = rules.DirContext(dir); err != nil {
				t.Fatal(err)
			}
		}
		for _, fd := range rules.Run(f, opts) {
			counts[fd.Severity]++
			byRule[fd.Rule.ID+" "+fd.Severity.String()]++
			if fd.Severity == rules.Error {
				t.Errorf("%s:%d: false alarm: %s", file, fd.Range.Start.Line, fd)
			} else {
				t.Logf("%s:%d: %s", filepath.Base(file), fd.Range.Start.Line, fd)
			}
		}
	}
	t.Logf("clean corpus: %d Dockerfiles, %d errors, %d warnings, %d infos; by rule: %v",
		len(files), counts[rules.Error], counts[rules.Warning], counts[rules.Info], byRule)
}

// TestLeakyCorpus runs every rule over leaky Dockerfiles whose want comments say what must be found.
func TestLeakyCorpus(t *testing.T) {
	rulestest.RunRules(t, rules.All(), filepath.Join(corpus, "leaky"))
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
