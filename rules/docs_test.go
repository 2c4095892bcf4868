package rules_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the rule values")

const docsDir = "../docs/rules"

// TestDocs fails when docs/rules differs from what the rule values generate; go test ./rules -update
// (or go run ./rules/gen) rewrites it.
func TestDocs(t *testing.T) {
	want := map[string]string{"README.md": rules.Index(rules.All())}
	for _, r := range rules.All() {
		want[r.ID+".md"] = rules.Markdown(r)
	}
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(docsDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil || string(got) != text {
			t.Errorf("docs/rules/%s is out of date: run go run ./rules/gen", name)
		}
	}
	entries, _ := os.ReadDir(docsDir)
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule", e.Name())
		}
	}
}

var (
	idPattern   = regexp.MustCompile(`^TL[1-9][0-9][0-9]$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// TestRuleValues checks the conventions every rule follows.
func TestRuleValues(t *testing.T) {
	var ids []string
	names := map[string]bool{}
	for _, r := range rules.All() {
		if !idPattern.MatchString(r.ID) || !namePattern.MatchString(r.Name) {
			t.Errorf("%s %s: ID must look like TL101, name be kebab-case", r.ID, r.Name)
		}
		if names[r.Name] {
			t.Errorf("%s: name %s used twice", r.ID, r.Name)
		}
		names[r.Name] = true
		ids = append(ids, r.ID)
		if r.Severity == 0 || r.Summary == "" || r.Doc == "" || r.Bad == "" || r.Good == "" || r.Check == nil {
			t.Errorf("%s: severity, summary, doc, examples and check are required", r.ID)
		}
		if strings.HasSuffix(r.Summary, ".") {
			t.Errorf("%s: the summary is a phrase without a final period", r.ID)
		}
		if _, err := os.Stat(filepath.Join("..", rules.SourceFile(r))); err != nil {
			t.Errorf("%s: one rule per file: %s is missing", r.ID, rules.SourceFile(r))
		}
		if rules.ByID(r.ID) != r {
			t.Errorf("ByID(%s) does not return the rule", r.ID)
		}
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("All() must list unique IDs in order: %v", ids)
	}
}

// TestExamples checks that each rule reports its Bad example and not its Good one.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		for _, ex := range []struct {
			name, text string
			want       bool
		}{{"Bad", r.Bad, true}, {"Good", r.Good, false}} {
			src := ex.text
			if !strings.HasPrefix(src, "FROM") && !strings.HasPrefix(src, "ARG") {
				src = "FROM alpine\n" + src
			} else if strings.HasPrefix(src, "ARG") && !strings.Contains(src, "FROM") {
				src = "FROM alpine\n" + src
			}
			f, err := model.Parse("Dockerfile", []byte(src+"\n"))
			if err != nil {
				t.Errorf("%s %s example: %v", r.ID, ex.name, err)
				continue
			}
			got := rules.Run(f, rules.Options{Rules: []*rules.Rule{r}, Config: exampleConfig[r.ID]})
			if (len(got) > 0) != ex.want {
				t.Errorf("%s %s example: %d findings %v", r.ID, ex.name, len(got), got)
			}
		}
	}
}

// exampleConfig configures the rules that do nothing without a build policy as their examples say.
var exampleConfig = map[string]*rules.Config{
	"TL401": {ImageAllowed: func(name string) bool { return strings.HasPrefix(name, "registry.example.com/") }},
	"TL402": {RequireDigest: true},
}
