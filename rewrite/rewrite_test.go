package rewrite_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rewrite"
	"github.com/tightlip/tightlip/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden rewrites every testdata/*.Dockerfile both ways and compares with the golden files:
// NAME.build (the text BuildKit converts inside a build) and NAME.fixed (what tightlip fix writes).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.Dockerfile")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(file, ".Dockerfile")
			build := rewriteOnce(t, src, rewrite.KeepLines)
			fixed := rewriteOnce(t, src, rewrite.Source)
			golden(t, base+".build", build)
			golden(t, base+".fixed", fixed)

			if got, want := bytes.Count(build, []byte("\n")), bytes.Count(src, []byte("\n")); got != want {
				t.Errorf("the in-build rewrite has %d lines, want %d", got, want)
			}
			if again := rewriteOnce(t, fixed, rewrite.Source); !bytes.Equal(again, fixed) {
				t.Errorf("fix is not idempotent; second run:\n%s", again)
			}
			res, err := analysis.Analyze("Dockerfile", fixed, analysis.Options{})
			if err != nil {
				t.Fatalf("the fixed Dockerfile does not parse: %v", err)
			}
			for _, fd := range res.Findings {
				if fd.Rule == rules.TL103 && fd.Fix != nil {
					t.Errorf("the fixed Dockerfile still has %v", fd)
				}
			}
		})
	}
}

func rewriteOnce(t *testing.T, src []byte, mode rewrite.Mode) []byte {
	t.Helper()
	f, err := model.Parse("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	edits := rewrite.Fixes(rules.Run(f, rules.Options{Rules: []*rules.Rule{rules.TL103}}), func(rules.Finding) bool { return true })
	out, err := rewrite.Apply(src, edits, mode)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./rewrite -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./rewrite -update to accept)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// FuzzRewrite: any Dockerfile that parses is rewritten, in both modes, to one that parses; the in-build
// rewrite keeps the line count; fix is idempotent.
func FuzzRewrite(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.Dockerfile")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("FROM a\nARG TOKEN\nRUN x\n"))
	f.Add([]byte("ARG A_TOKEN\nFROM a\nARG A_TOKEN B\\\n  C_PASSWORD\nRUN <<EOF\n$A_TOKEN\nEOF\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := model.Parse("Dockerfile", src)
		if err != nil {
			return
		}
		edits := rewrite.Fixes(rules.Run(file, rules.Options{Rules: []*rules.Rule{rules.TL103}}), func(rules.Finding) bool { return true })
		build, err := rewrite.Apply(src, edits, rewrite.KeepLines)
		if err != nil {
			t.Fatalf("in-build rewrite: %v", err)
		}
		if bytes.Count(build, []byte("\n")) != bytes.Count(src, []byte("\n")) {
			t.Fatalf("the in-build rewrite moved lines:\n%q\n%q", src, build)
		}
		if _, err := model.Parse("Dockerfile", build); err != nil {
			t.Fatalf("the in-build rewrite does not parse: %v\n%q\n%q", err, src, build)
		}
		fixed, err := rewrite.Apply(src, edits, rewrite.Source)
		if err != nil {
			t.Fatalf("fix: %v", err)
		}
		file2, err := model.Parse("Dockerfile", fixed)
		if err != nil {
			t.Fatalf("the fixed Dockerfile does not parse: %v\n%q\n%q", err, src, fixed)
		}
		edits2 := rewrite.Fixes(rules.Run(file2, rules.Options{Rules: []*rules.Rule{rules.TL103}}), func(rules.Finding) bool { return true })
		again, err := rewrite.Apply(fixed, edits2, rewrite.Source)
		if err != nil || !bytes.Equal(again, fixed) {
			t.Fatalf("fix is not idempotent (%v):\n%q\n%q", err, fixed, again)
		}
	})
}
