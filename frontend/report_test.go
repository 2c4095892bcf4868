package frontend

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/subrequests/lint"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/internal/canary"
	"github.com/tightlip/tightlip/policy"
)

// testSource is the Dockerfile source of a build.
func testSource(t *testing.T, dockerfile []byte) *dockerui.Source {
	t.Helper()
	src := &dockerui.Source{SourceMap: llb.NewSourceMap(nil, "Dockerfile", "Dockerfile", dockerfile)}
	def, err := llb.Scratch().Marshal(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	src.SourceMap.Definition = def
	return src
}

// TestFindingsErrorListsPolicyOutcomes: a build that fails says which findings exceptions let through
// and what the policy noted, as a build that passes says in its warnings.
func TestFindingsErrorListsPolicyOutcomes(t *testing.T) {
	layer, err := policy.Parse(policy.Repository, ".tightlip.yaml", []byte(`apiVersion: tightlip.dev/v1
exceptions:
  - rule: TL101
    subject: API_TOKEN
    reason: fixture, SEC-1
    expires: 2026-12-01
  - rule: TL101
    subject: OLD_TOKEN
    reason: fixture, SEC-2
    expires: 2026-01-01
`))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.Merge(policy.DefaultLayer(), layer)
	if err != nil {
		t.Fatal(err)
	}
	dockerfile := []byte("FROM alpine\nENV API_TOKEN=abc\nENV OLD_TOKEN=def\n")
	res, err := analysis.Analyze("Dockerfile", dockerfile, analysis.Options{Policy: pol, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	errs := res.Errors()
	if len(errs) != 1 || len(res.Suppressed) != 1 || len(res.Notes) != 1 {
		t.Fatalf("want 1 error, 1 suppressed finding and 1 note; got %v, %v, %v", errs, res.Suppressed, res.Notes)
	}
	src := testSource(t, dockerfile)
	msg := findingsError(src, res.Masked(), errs, res.Notes, res.Suppressed).Error()
	for _, want := range []string{
		"Dockerfile:3: TL101 secret-env: ENV OLD_TOKEN",
		"tightlip policy: the exception for TL101 at .tightlip.yaml:7 (repository) expired on 2026-01-01",
		"tightlip policy: Dockerfile:2: TL101 error (ENV API_TOKEN",
		"is let through by the exception at .tightlip.yaml:3 (repository) until 2026-12-01: fixture, SEC-1",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

// TestAddFindings: the lint answer carries tightlip's findings on the masked text, and the policy's
// notes only beside findings (alone they would fail --check on a Dockerfile that builds).
func TestAddFindings(t *testing.T) {
	token := canary.GitHubToken(t)
	dockerfile := []byte("# check=skip=TL101\nFROM alpine\nENV API_TOKEN=" + token + "\n")
	res, err := analysis.Analyze("Dockerfile", dockerfile, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 || len(res.Notes) != 1 {
		t.Fatalf("want findings and one note, got %v, %v", res.Findings, res.Notes)
	}
	src := testSource(t, dockerfile)
	var results lint.LintResults
	results.AddSource(src.SourceMap) // upstream's copy of the Dockerfile, as written
	addFindings(&results, src, res.Masked(), res.Findings, res.Notes)
	out, err := json.Marshal(results)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), token) {
		t.Errorf("the lint results carry the credential:\n%s", out)
	}
	var rules []string
	for _, w := range results.Warnings {
		rules = append(rules, w.RuleName)
		if w.RuleName == lintPolicyRule && (len(w.Location.Ranges) == 0 || w.Location.Ranges[0].Start.Line != 1 ||
			!strings.Contains(w.Detail, "`# check=skip=TL101` does not turn off TL101")) {
			t.Errorf("policy note = %+v", w)
		}
	}
	if !slices.Contains(rules, "TL101") || !slices.Contains(rules, "TL110") || !slices.Contains(rules, lintPolicyRule) {
		t.Errorf("lint warnings %v, want TL101, TL110 and %s", rules, lintPolicyRule)
	}

	var quiet lint.LintResults
	addFindings(&quiet, src, res.Masked(), nil, res.Notes)
	if len(quiet.Warnings) != 0 {
		t.Errorf("notes without findings became lint warnings: %+v", quiet.Warnings)
	}
}
