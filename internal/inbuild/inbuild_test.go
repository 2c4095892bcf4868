package inbuild

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const value = "s3cr3t-value-0123456789"

// setup writes a request with secrets "tok" (supplied), "short" (too short) and "absent" (not
// supplied), one image whose config holds tok's value in an Env entry, and two layers: the first holds
// it base64-encoded in a file and as a symbolic link's target, the second nothing.
func setup(t *testing.T) *Request {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("secrets/0", value+"\n")
	write("secrets/1", "abc")
	write("layers/0/var/cache/tool/state", "cached: "+base64.StdEncoding.EncodeToString([]byte(value))+"\n")
	write("layers/1/etc/clean", "nothing here")
	if err := os.Symlink("/run/"+value, filepath.Join(dir, "layers/0/link")); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{"config": map[string]any{"Env": []string{"PATH=/bin", "TOKEN=" + value}}})
	write("config.json", string(cfg))
	return &Request{
		Protocol:  Protocol,
		MinLength: 8,
		Secrets: []SecretFile{
			{ID: "tok", Path: filepath.Join(dir, "secrets/0")},
			{ID: "short", Path: filepath.Join(dir, "secrets/1")},
			{ID: "absent", Path: filepath.Join(dir, "secrets/2")},
		},
		Images: []Image{{Config: filepath.Join(dir, "config.json"), Layers: []string{filepath.Join(dir, "layers/0"), filepath.Join(dir, "layers/1")}}},
		Report: filepath.Join(dir, "report.json"),
	}
}

func TestRun(t *testing.T) {
	req := setup(t)
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	wantSecrets := []SecretStatus{{"tok", Searched, len(value)}, {"short", TooShort, 3}, {"absent", NotSupplied, 0}}
	for i, w := range wantSecrets {
		if i >= len(rep.Secrets) || rep.Secrets[i] != w {
			t.Errorf("secrets = %+v, want %+v", rep.Secrets, wantSecrets)
			break
		}
	}
	want := map[Hit]bool{
		{Secret: "tok", Image: 0, Layer: -1, Path: "config.Env[1]", Encoding: "raw"}:           true,
		{Secret: "tok", Image: 0, Layer: 0, Path: "/var/cache/tool/state", Encoding: "base64"}: true,
		{Secret: "tok", Image: 0, Layer: 0, Path: "/link", Encoding: "raw"}:                    true,
	}
	if len(rep.Hits) != len(want) {
		t.Errorf("hits = %+v, want %d", rep.Hits, len(want))
	}
	for _, h := range rep.Hits {
		if !want[h] {
			t.Errorf("unexpected hit %+v", h)
		}
	}
	if rep.Layers != 2 || rep.Files != 2 || rep.Incomplete != "" {
		t.Errorf("layers %d files %d incomplete %q", rep.Layers, rep.Files, rep.Incomplete)
	}
}

// Main writes the report and a summary; neither holds the value, in any encoding searched.
func TestMainNoValue(t *testing.T) {
	req := setup(t)
	data, _ := json.Marshal(req)
	reqFile := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(reqFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{reqFile}, &stdout, &stderr); code != 0 {
		t.Fatalf("Main exited %d: %s", code, stderr.String())
	}
	report, err := os.ReadFile(req.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "searched for 1 secrets in 2 layers") {
		t.Errorf("summary = %q", stdout.String())
	}
	for _, out := range []string{stdout.String(), stderr.String(), string(report)} {
		for _, v := range []string{value, base64.StdEncoding.EncodeToString([]byte(value))[:20]} {
			if strings.Contains(out, v) {
				t.Errorf("the value appears in %q", out)
			}
		}
	}
}

func TestRunBudget(t *testing.T) {
	req := setup(t)
	req.Budget = time.Nanosecond
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Incomplete, "time budget of 1ns ran out") {
		t.Errorf("incomplete = %q", rep.Incomplete)
	}
}

func TestRunProtocol(t *testing.T) {
	req := setup(t)
	req.Protocol = Protocol + 1
	if _, err := Run(context.Background(), req); err == nil {
		t.Error("a request of another protocol must be refused")
	}
}
