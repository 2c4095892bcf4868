package policy

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

var today = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func mustLayer(t *testing.T, k Kind, path string) *Layer {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Parse(k, path, data)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func layer(t *testing.T, k Kind, text string) *Layer {
	t.Helper()
	l, err := Parse(k, k.String()+".yaml", []byte("apiVersion: tightlip.dev/v1\n"+text))
	if err != nil {
		t.Fatalf("parsing %s layer: %v", k, err)
	}
	return l
}

func TestDefault(t *testing.T) {
	p := DefaultPolicy()
	if !p.Rewrite || !p.RewriteRequired || p.CheckSkip || p.Syntax || p.Verification.Mode != VerifyOn || p.Verification.MinLength != 8 || p.Verification.Budget != 5*time.Minute {
		t.Errorf("unexpected default policy: %+v", p)
	}
	if len(p.Rules) != 0 || p.BaseImages.Allowed != nil || len(p.Exceptions) != 0 {
		t.Errorf("the default policy changes no rule: %+v", p)
	}
}

// TestShowThreeLayers is the three-layer example of docs/policy.md.
func TestShowThreeLayers(t *testing.T) {
	p, err := Merge(DefaultLayer(), mustLayer(t, Organisation, "testdata/org.yaml"), mustLayer(t, Repository, "testdata/repo.yaml"), mustLayer(t, CommandLine, "testdata/cli.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Show(&b, today); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/show.golden"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("Show differs from %s (go test -update):\n%s", golden, b.String())
	}
	// What Show prints is a valid policy layer itself, for the default policy too.
	if _, err := Parse(CommandLine, "shown", b.Bytes()); err != nil {
		t.Errorf("Show's output does not parse: %v", err)
	}
	b.Reset()
	if err := DefaultPolicy().Show(&b, today); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(CommandLine, "shown", b.Bytes()); err != nil {
		t.Errorf("Show's output of the default policy does not parse: %v\n%s", err, b.String())
	}
}

func TestMerge(t *testing.T) {
	type check func(t *testing.T, p *Policy)
	tests := []struct {
		name      string
		org, repo string // "" when the layer is absent
		wantErr   string // substring of the merge error; "" for success
		check     check
	}{
		{name: "repo tightens a rule", repo: "rules: {TL121: error}",
			check: func(t *testing.T, p *Policy) { expect(t, p.Rules["TL121"] == SeverityError, "TL121 error") }},
		{name: "no org: the default lets the repo loosen", repo: "rules: {TL101: warning}",
			check: func(t *testing.T, p *Policy) { expect(t, p.Rules["TL101"] == SeverityWarning, "TL101 warning") }},
		{name: "org without permissions: repo may not loosen", org: "rules: {TL121: error}", repo: "rules: {TL101: warning}",
			wantErr: "repository.yaml:2:16: rules.TL101: warning (the rule's own severity is error) loosens the policy, which organisation.yaml (organisation) does not permit (permissions.severity)"},
		{name: "repo may not undo the org's tightening", org: "rules: {TL121: error}\npermissions: {severity: [TL120]}", repo: "rules: {TL121: warning}",
			wantErr: "rules.TL121: warning (was error) loosens"},
		{name: "org permits lowering one rule", org: "rules: {TL121: error}\npermissions: {severity: [TL121]}", repo: "rules: {TL121: off}",
			check: func(t *testing.T, p *Policy) { expect(t, !p.RuleEnabled("TL121"), "TL121 off") }},
		{name: "repo may always tighten", org: "permissions: {}", repo: "rules: {TL103: error}\nrewrite: {enabled: false}\nverification: {mode: \"on\"}\nbaseImages: {requireDigest: true}",
			check: func(t *testing.T, p *Policy) {
				expect(t, p.Rules["TL103"] == SeverityError && !p.Rewrite && p.BaseImages.RequireDigest, "tightened")
			}},
		{name: "exceptions need permission", org: "permissions: {exceptions: [TL120]}", repo: "exceptions: [{rule: TL101, subject: X, reason: r, expires: 2027-01-01}]",
			wantErr: "an exception for TL101 loosens the policy"},
		{name: "exception for a permitted rule", org: "permissions: {exceptions: [TL120]}", repo: "exceptions: [{rule: TL120, subject: X, reason: r, expires: 2027-01-01}]",
			check: func(t *testing.T, p *Policy) { expect(t, len(p.Exceptions) == 1, "one exception") }},
		{name: "allowed names need permission", org: "permissions: {allowedFiles: true}", repo: "credentials: {names: {allowed: [KEY]}}",
			wantErr: "permissions.allowedNames"},
		{name: "extra names are always fine", org: "permissions: {}", repo: "credentials: {names: {extra: [ACME_*]}}",
			check: func(t *testing.T, p *Policy) {
				expect(t, len(p.Names) == 1 && p.Names[0].Match("acme_thing"), "glob folds case")
			}},
		{name: "rewrite back on needs permission", org: "rewrite: {enabled: false}\npermissions: {}", repo: "rewrite: {enabled: true}",
			wantErr: "rewrite.enabled: true loosens"},
		{name: "required off needs permission", org: "permissions: {}", repo: "rewrite: {required: false}",
			wantErr: "rewrite.required: false loosens"},
		{name: "directives need permission", org: "permissions: {severity: ['*']}", repo: "directives: {checkSkip: true}",
			wantErr: "directives.checkSkip: true loosens"},
		{name: "org may allow directives", org: "directives: {syntax: true}",
			check: func(t *testing.T, p *Policy) { expect(t, p.Syntax, "syntax allowed") }},
		{name: "verification off needs permission", org: "permissions: {}", repo: "verification: {mode: warn}",
			wantErr: "verification.mode: warn (was on) loosens"},
		{name: "longer minimum needs permission", org: "permissions: {}", repo: "verification: {minLength: 12}",
			wantErr: "verification.minLength: 12 (was 8) loosens"},
		{name: "budget is free", org: "permissions: {}", repo: "verification: {budget: 20m}",
			check: func(t *testing.T, p *Policy) { expect(t, p.Verification.Budget == 20*time.Minute, "budget") }},
		{name: "narrowing images", org: "baseImages: {allowed: [registry.acme.example]}\npermissions: {}", repo: "baseImages: {allowed: [registry.acme.example/base]}",
			check: func(t *testing.T, p *Policy) {
				expect(t, p.BaseImages.ImageAllowed("registry.acme.example/base/node") && !p.BaseImages.ImageAllowed("registry.acme.example/other"), "narrowed")
			}},
		{name: "widening images needs permission", org: "baseImages: {allowed: [registry.acme.example]}\npermissions: {}", repo: "baseImages: {allowed: [node]}",
			wantErr: "permissions.baseImages"},
		{name: "grants do not grow", org: "permissions: {severity: [TL120]}", repo: "permissions: {severity: ['*']}",
			check: func(t *testing.T, p *Policy) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layers := []*Layer{DefaultLayer()}
			if tt.org != "" {
				layers = append(layers, layer(t, Organisation, tt.org))
			}
			if tt.repo != "" {
				layers = append(layers, layer(t, Repository, tt.repo))
			}
			p, err := Merge(layers...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

// TestGrantsDoNotGrow: a repository cannot give the command line more than the organisation gave it.
func TestGrantsDoNotGrow(t *testing.T) {
	_, err := Merge(DefaultLayer(),
		layer(t, Organisation, "permissions: {severity: [TL120]}"),
		layer(t, Repository, "permissions: {severity: ['*'], directives: true}"),
		layer(t, CommandLine, "rules: {TL101: warning}"))
	if err == nil || !strings.Contains(err.Error(), "command line.yaml") || !strings.Contains(err.Error(), "permissions.severity") {
		t.Fatalf("got %v", err)
	}
	_, err = Merge(DefaultLayer(),
		layer(t, Organisation, "permissions: {severity: [TL120]}"),
		layer(t, Repository, "permissions: {severity: ['*']}"),
		layer(t, CommandLine, "rules: {TL120: off}"))
	if err != nil {
		t.Fatalf("TL120 was granted through: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "p.yaml: empty policy"},
		{"not yaml", "apiVersion: tightlip.dev/v1\nrules: [\n", "p.yaml:2: did not find expected node content"},
		{"wrong version", "apiVersion: tightlip.dev/v2\n", "p.yaml:1:13: apiVersion: value must be"},
		{"no version", "rules: {}\n", `p.yaml:1:1: missing "apiVersion"`},
		{"unknown key", "apiVersion: tightlip.dev/v1\nrule:\n  TL101: off\n", `p.yaml:2:1: unknown key "rule"`},
		{"unknown nested key", "apiVersion: tightlip.dev/v1\nrewrite:\n  enable: false\n", `p.yaml:3:3: unknown key "enable"`},
		{"bad severity", "apiVersion: tightlip.dev/v1\nrules:\n  TL101: fatal\n", "p.yaml:3:10: rules.TL101: value must be one of"},
		{"unknown rule", "apiVersion: tightlip.dev/v1\nrules:\n  TL999: off\n", "p.yaml:3:3: unknown rule TL999"},
		{"bad regexp", "apiVersion: tightlip.dev/v1\ncredentials:\n  values:\n    extra:\n      - id: x\n        pattern: 'a(b'\n", "p.yaml:6:18: bad pattern: error parsing regexp"},
		{"empty-matching regexp", "apiVersion: tightlip.dev/v1\ncredentials:\n  values:\n    extra:\n      - {id: x, pattern: 'a*'}\n", "matches the empty string"},
		{"exception without reason", "apiVersion: tightlip.dev/v1\nexceptions:\n  - rule: TL120\n    subject: .npmrc\n    expires: 2027-01-01\n", `p.yaml:3:5: missing "reason"`},
		{"exception without expiry", "apiVersion: tightlip.dev/v1\nexceptions:\n  - rule: TL120\n    subject: .npmrc\n    reason: because\n", `missing "expires"`},
		{"exception with a blank reason", "apiVersion: tightlip.dev/v1\nexceptions:\n  - {rule: TL120, subject: .npmrc, reason: '  ', expires: 2027-01-01}\n", "needs a reason"},
		{"exception with a bad date", "apiVersion: tightlip.dev/v1\nexceptions:\n  - {rule: TL120, subject: .npmrc, reason: r, expires: 2027-13-01}\n", `bad expiry date "2027-13-01"`},
		{"exception without selector", "apiVersion: tightlip.dev/v1\nexceptions:\n  - {rule: TL120, reason: r, expires: 2027-01-01}\n", "p.yaml:3:5: an exception needs at least one selector"},
		{"duplicate key", "apiVersion: tightlip.dev/v1\nrules:\n  TL101: off\n  TL101: error\n", `p.yaml:4:3: "TL101" is set twice`},
		{"bad budget", "apiVersion: tightlip.dev/v1\nverification:\n  budget: 0s\n", "p.yaml:3:11: bad budget"},
		{"two documents", "apiVersion: tightlip.dev/v1\n---\napiVersion: tightlip.dev/v1\n", "one YAML document, not 2"},
		{"bad store command file", "apiVersion: tightlip.dev/v1\nstoreCommands:\n  - {command: acme login, file: rel/path}\n", "p.yaml:3:33: storeCommands.0.file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(Repository, "p.yaml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if _, ok := err.(Errors); !ok {
				t.Errorf("error is %T, want policy.Errors", err)
			}
		})
	}
}

func TestSchemaAndDefaultAgree(t *testing.T) {
	if _, err := compiledSchema(); err != nil {
		t.Fatal(err)
	}
	// Every rule ID the schema's pattern accepts and the code knows is listed by Show.
	for _, r := range rules.All() {
		if _, err := Parse(Repository, "p", []byte("apiVersion: tightlip.dev/v1\nrules: {"+r.ID+": error}\n")); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
	}
}

func TestApply(t *testing.T) {
	const dockerfile = `FROM alpine AS build
COPY .npmrc /root/.npmrc
ENV API_TOKEN=x
FROM alpine
COPY --from=build /root/.npmrc /x
`
	file, err := model.Parse("sub/Dockerfile", []byte(dockerfile))
	if err != nil {
		t.Fatal(err)
	}
	rule := func(id string) *rules.Rule {
		for _, r := range rules.All() {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no rule %s", id)
		return nil
	}
	at := func(id string, line int, subject string, sev rules.Severity) rules.Finding {
		fd := rules.Finding{Rule: rule(id), Severity: sev, Subject: subject, Message: "m"}
		fd.Range.Start.Line, fd.Range.End.Line = line, line
		return fd
	}
	findings := []rules.Finding{
		at("TL120", 2, ".npmrc", rules.Error),
		at("TL101", 3, "API_TOKEN", rules.Error),
		at("TL301", 5, "/root/.npmrc", rules.Error),
		at("TL121", 2, ".npmrc", rules.Warning),
	}
	p, err := Merge(DefaultLayer(), layer(t, Repository, `rules: {TL101: warning, TL121: off}
exceptions:
  - {rule: TL120, stage: build, instruction: "copy .npmrc *", reason: "fixture", expires: 2026-11-25}
  - {rule: TL301, file: "sub/*", line: 5, reason: "old", expires: 2026-11-24}
`))
	if err != nil {
		t.Fatal(err)
	}
	out := p.Apply(file, "sub/Dockerfile", findings, today)
	if len(out.Suppressed) != 1 || out.Suppressed[0].Finding.Rule.ID != "TL120" {
		t.Errorf("suppressed = %+v, want TL120 (the exception applies through its expiry day)", out.Suppressed)
	}
	var got []string
	for _, fd := range out.Findings {
		got = append(got, fd.Rule.ID+" "+fd.Severity.String())
	}
	if strings.Join(got, ",") != "TL101 warning,TL301 error" {
		t.Errorf("findings = %v", got)
	}
	if len(out.Notes) != 1 || !strings.Contains(out.Notes[0].Message, "expired on 2026-11-24") {
		t.Errorf("notes = %+v, want the expired TL301 exception", out.Notes)
	}
	if out := p.Apply(file, "sub/Dockerfile", findings, today.AddDate(0, 0, 1)); len(out.Suppressed) != 0 || len(out.Notes) != 2 {
		t.Errorf("a day later: %d suppressed, %d notes; want 0 and 2", len(out.Suppressed), len(out.Notes))
	}
	if out := p.Apply(file, "Dockerfile", findings, today); len(out.Suppressed) != 1 {
		t.Errorf("file selector: %d suppressed", len(out.Suppressed))
	}
}

func expect(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Errorf("want %s", what)
	}
}
