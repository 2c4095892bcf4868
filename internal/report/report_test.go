package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchema, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// sample covers what the writers must handle: whole-line and column ranges, no range, an absolute
// path and one with characters a URI escapes, a rule the report does not list, image layers, a
// finding a policy exception lets through and a policy note.
func sample() *Report {
	return &Report{
		Tool:  Tool{Name: "tightlip", Version: "v1.2.3", InformationURI: "https://github.com/tightlip/tightlip", Command: "verify"},
		Rules: []Rule{{ID: "TL101", Name: "secret-env", Severity: "error", Summary: "ENV stores a credential", Doc: "Long.\n\nMore.", HelpURI: "https://example.net/TL101", Tags: []string{"security"}}},
		Image: &Image{Ref: "image.tar", Images: []Part{{Platform: "linux/amd64", Layers: 2}}, Layers: 2, Files: 7, Bytes: 1234},
		Files: []File{
			{Path: "services/api/Dockerfile", Findings: []Finding{
				{RuleID: "TL101", RuleName: "secret-env", Severity: "error", Message: "m1", Range: &Range{Start: Position{2, 5}, End: Position{2, 30}}, Doc: "https://example.net/TL101"},
				{RuleID: "TL999", RuleName: "unlisted", Severity: "info", Message: "m2", Range: &Range{Start: Position{3, 1}, End: Position{5, 7}}},
			}},
			{Path: "/abs/dir with space/Dockerfile", Findings: []Finding{
				{RuleID: "TL101", RuleName: "secret-env", Severity: "warning", Message: "m3"},
				{RuleID: "TL101", RuleName: "secret-env", Severity: "error", Message: "m5", Range: &Range{Start: Position{Line: 6}, End: Position{Line: 6}},
					Suppression: &Suppression{Reason: "fixture", Expires: "2099-01-31", Policy: ".tightlip.yaml:3 (repository)"}},
			}, Notes: []string{"line 1: `# check=skip=TL101` does not turn off TL101"}},
			{Path: "layer/1/app/.npmrc", Findings: []Finding{
				{RuleID: "TL101", RuleName: "secret-env", Severity: "error", Message: "m4", Range: &Range{Start: Position{Line: 4}, End: Position{Line: 4}},
					Path: "/app/.npmrc", Layer: &Layer{Index: 1, Digest: "sha256:aa", CreatedBy: "COPY . ."}, RemovedIn: &Layer{Index: 2}},
			}},
			{Path: "clean/Dockerfile"},
		},
	}
}

func TestWriteSARIF(t *testing.T) {
	sch := compileSchema(t)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sample(), SourceRoot); err != nil {
		t.Fatal(err)
	}
	if err := validate(t, sch, buf.Bytes()); err != nil {
		t.Fatalf("not valid SARIF: %v\n%s", err, buf.String())
	}
	out := buf.String()
	for _, want := range []string{
		`"uri": "services/api/Dockerfile",`, `"uriBaseId": "%SRCROOT%"`, `"uri": "file:///abs/dir%20with%20space/Dockerfile"`,
		`"ruleId": "TL999",`, `"ruleIndex": 1,`, `"level": "note",`, `"security-severity": "8.0"`, `"removedIn": {`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the SARIF log lacks %s:\n%s", want, out)
		}
	}

	// The schema does reject what is not SARIF: the test would see a broken writer.
	broken := strings.Replace(out, `"level": "note"`, `"level": "fatal"`, 1)
	if err := validate(t, sch, []byte(broken)); err == nil {
		t.Error("the schema accepts an invalid level")
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema  int    `json:"schema"`
		Version string `json:"version"`
		Command string `json:"command"`
		Image   struct {
			Ref   string `json:"ref"`
			Files int    `json:"files"`
		} `json:"image"`
		Files []struct {
			Path     string           `json:"path"`
			Findings []map[string]any `json:"findings"`
		} `json:"files"`
		Summary Summary `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Schema != SchemaVersion || got.Version != "v1.2.3" || got.Command != "verify" || got.Image.Ref != "image.tar" {
		t.Errorf("header: %+v", got)
	}
	if want := (Summary{Files: 7, Errors: 2, Warnings: 1, Infos: 1, Suppressed: 1}); got.Summary != want {
		t.Errorf("summary %+v, want %+v", got.Summary, want)
	}
	if len(got.Files) != 4 || got.Files[3].Findings == nil || len(got.Files[3].Findings) != 0 {
		t.Errorf("files: %+v", got.Files)
	}
	f := got.Files[2].Findings[0]
	if f["rule"] != "TL101" || f["path"] != "/app/.npmrc" || f["layer"].(map[string]any)["created_by"] != "COPY . ." || f["removed_in"].(map[string]any)["index"] != 2.0 {
		t.Errorf("layer finding: %v", f)
	}
	if _, ok := got.Files[1].Findings[0]["range"]; ok {
		t.Errorf("a finding without a position has a range: %v", got.Files[1].Findings[0])
	}
}
