package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchema compiles the official SARIF 2.1.0 schema (vendored in internal/report/testdata).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "report", "testdata", "sarif-schema-2.1.0.json"))
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
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// sarifLog is what the test reads back of a SARIF log: the properties GitHub code scanning needs.
type sarifLog struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// checkSARIF validates out against the schema and the properties code scanning relies on, and returns
// the results' "ruleId uri:line" strings.
func checkSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) []string {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "tightlip" || d.Version == "" || d.InformationURI == "" {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	ids := map[string]bool{}
	for _, r := range d.Rules {
		if ids[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		ids[r.ID] = true
		if r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || !strings.HasPrefix(r.HelpURI, "https://") ||
			r.DefaultConfiguration.Level == "" || len(r.Properties.Tags) == 0 {
			t.Errorf("rule %s lacks a property code scanning shows: %+v", r.ID, r)
		}
	}
	var got []string
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(d.Rules) || d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		if res.Level != "error" && res.Level != "warning" && res.Level != "note" || res.Message.Text == "" {
			t.Errorf("result %s: level %q, message %q", res.RuleID, res.Level, res.Message.Text)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %s has %d locations", res.RuleID, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		reg := pl.Region
		if pl.ArtifactLocation.URI == "" || strings.Contains(pl.ArtifactLocation.URI, ":") || reg.StartLine < 1 ||
			reg.EndLine != 0 && reg.EndLine < reg.StartLine || reg.EndColumn != 0 && reg.EndLine == reg.StartLine && reg.EndColumn <= reg.StartColumn {
			t.Errorf("result %s has location %+v", res.RuleID, pl)
		}
		got = append(got, res.RuleID+" "+pl.ArtifactLocation.URI+":"+strconv.Itoa(reg.StartLine))
	}
	return got
}

// The SARIF output of check and verify is valid SARIF 2.1.0 (the official schema) with what GitHub
// code scanning needs: rules with descriptions and help, results with a rule index, a level, a
// relative artifact URI and a region.
func TestSARIFIsValid(t *testing.T) {
	sch := sarifSchema(t)
	secret, err := randomToken()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM busybox\nENV DB_PASSWORD="+secret+"\nWORKDIR /app\nCOPY .npmrc ./\nARG NPM_TOKEN\nRUN npm ci\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"check", "--format", "sarif", df}, &stdout, &stderr); code != exitFindings {
		t.Fatalf("check exited %d: %s", code, stderr.String())
	}
	got := checkSARIF(t, sch, stdout.Bytes())
	want := []string{"TL101 Dockerfile:2", "TL120 Dockerfile:4", "TL103 Dockerfile:5"}
	for _, w := range want {
		if !strings.Contains(strings.Join(got, "\n"), w) {
			t.Errorf("check results %q lack %q", got, w)
		}
	}
	if strings.Contains(stdout.String(), secret) {
		t.Error("the SARIF output shows the credential")
	}

	img, err := imageFromSpec(`
history ARG NPM_TOKEN
layer COPY .npmrc /app/.npmrc # buildkit
file app/.npmrc npmrc
layer RUN |1 NPM_TOKEN=`+secret+` /bin/sh -c npm ci # buildkit
file app/index.js js
file app/data.txt data
layer RUN /bin/sh -c rm /app/.npmrc # buildkit
delete app/.npmrc
env DB_PASSWORD=`+secret+`
`, func(name string) string {
		return map[string]string{"npmrc": "//registry.npmjs.org/:_authToken=" + secret + "\n", "js": "x\n",
			"data": "token: " + base64.StdEncoding.EncodeToString([]byte(secret)) + "\n"}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := writeLayout(filepath.Join(dir, "layout"), img); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	t.Setenv("NPM_TOKEN", secret)
	if code := Main([]string{"verify", "--format", "sarif", "--secret-env", "NPM_TOKEN", "layout"}, &stdout, &stderr); code != exitFindings {
		t.Fatalf("verify exited %d: %s", code, stderr.String())
	}
	got = checkSARIF(t, sch, stdout.Bytes())
	want = []string{"TLV101 config/Env:1", "TLV103 history:3", "TLV112 layer/0/app/.npmrc:1", "TLV120 layer/1/app/data.txt:1"}
	for _, w := range want {
		if !strings.Contains(strings.Join(got, "\n"), w) {
			t.Errorf("verify results %q lack %q", got, w)
		}
	}
	if strings.Contains(stdout.String(), secret) {
		t.Error("the SARIF output shows the credential")
	}
}
