package analysis_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/policy"
)

func mergePolicy(t *testing.T, text string) *policy.Policy {
	t.Helper()
	l, err := policy.Parse(policy.Repository, ".tightlip.yaml", []byte("apiVersion: tightlip.dev/v1\n"+text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Merge(policy.DefaultLayer(), l)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPolicy runs the analysis of small Dockerfiles under policies and lists the findings as
// "line ID severity", the suppressed ones as "line ID suppressed", and the notes.
func TestPolicy(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, policy, dockerfile string
		contexts                 map[string]string // named build contexts
		want                     []string          // findings, suppressions and notes (substrings, in order)
		rewritten                string            // a substring of the rewritten Dockerfile
	}{
		{name: "extra name", policy: "credentials: {names: {extra: ['*_PASSPHRASE']}}",
			dockerfile: "FROM alpine\nENV GPG_PASSPHRASE=hunter2hunter2\n", want: []string{"2 TL101 error"}},
		{name: "allowed name", policy: "credentials: {names: {allowed: [KEY]}}",
			dockerfile: "FROM alpine\nENV KEY=value\n", want: nil},
		{name: "built-in name without policy", policy: "rules: {}",
			dockerfile: "FROM alpine\nENV KEY=value\n", want: []string{"2 TL101 error"}},
		{name: "extra value", policy: "credentials: {values: {extra: [{id: acme, pattern: 'acme_[a-z0-9]{12}', description: Acme key}]}}",
			dockerfile: "FROM alpine\nRUN curl -H 'X-Key: acme_0123456789ab' https://acme.example\n", want: []string{"2 TL110 error Acme key"}},
		{name: "allowed value", policy: "credentials: {values: {allowed: ['ghp_0{36}']}}",
			dockerfile: "FROM alpine\nRUN echo ghp_000000000000000000000000000000000000\n", want: nil},
		{name: "extra file", policy: "files: {extra: ['config/secrets.yml']}",
			dockerfile: "FROM alpine\nCOPY config/secrets.yml /app/config/\n", want: []string{"2 TL120 error"}},
		{name: "allowed file", policy: "files: {allowed: ['testdata/**']}",
			dockerfile: "FROM alpine\nCOPY testdata/.npmrc /x/\n", want: nil},
		{name: "extra store command", policy: "storeCommands: [{command: acmectl login, file: ~/.acme/credentials}]",
			dockerfile: "FROM alpine\nRUN --mount=type=secret,id=acme,env=ACME acmectl login --token \"$ACME\"\n", want: []string{"2 TL203 error"}},
		{name: "severity off", policy: "rules: {TL101: off}",
			dockerfile: "FROM alpine\nENV API_TOKEN=abc\n", want: nil},
		{name: "severity warning", policy: "rules: {TL101: warning}",
			dockerfile: "FROM alpine\nENV API_TOKEN=abc\n", want: []string{"2 TL101 warning"}},
		{name: "rewrite off", policy: "rewrite: {enabled: false}",
			dockerfile: "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n", want: []string{"2 TL103 error rewrite into a secret mount off"}},
		{name: "TL103 an error", policy: "rules: {TL103: error}",
			dockerfile: "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n", want: []string{"2 TL103 error makes this an error (rules.TL103)"}},
		{name: "rewrite optional", policy: "rewrite: {required: false}",
			dockerfile: "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n", want: []string{"2 TL103 warning"}, rewritten: "env=NPM_TOKEN,required=false npm ci"},
		{name: "check skip refused", policy: "rules: {}",
			dockerfile: "# check=skip=TL101\nFROM alpine\nENV API_TOKEN=abc\n", want: []string{"note: `# check=skip=TL101` does not turn off TL101", "3 TL101 error"}},
		{name: "check skip allowed", policy: "directives: {checkSkip: true}",
			dockerfile: "# check=skip=secret-env\nFROM alpine\nENV API_TOKEN=abc\n", want: []string{"note: `# check=skip=secret-env` turns off TL101, as the build policy allows"}},
		{name: "skip=all is quiet without findings", policy: "rules: {}",
			dockerfile: "# check=skip=all\nFROM alpine\n", want: nil},
		{name: "exception", policy: "exceptions: [{rule: TL101, subject: API_TOKEN, reason: fixture, expires: 2026-12-01}]",
			dockerfile: "FROM alpine\nENV API_TOKEN=abc\n", want: []string{"2 TL101 suppressed"}},
		{name: "expired exception", policy: "exceptions: [{rule: TL101, subject: API_TOKEN, reason: fixture, expires: 2026-11-01}]",
			dockerfile: "FROM alpine\nENV API_TOKEN=abc\n", want: []string{"note: the exception for TL101 at .tightlip.yaml:2 (repository) expired on 2026-11-01", "2 TL101 error"}},
		{name: "images", policy: "baseImages: {allowed: [registry.example.com], requireDigest: true}",
			dockerfile: "FROM alpine:3.20\n", want: []string{"1 TL401 error", "1 TL402 error"}},
		{name: "image from a named context", policy: "baseImages: {allowed: [registry.example.com]}",
			dockerfile: "FROM registry.example.com/alpine:3.20\n", contexts: map[string]string{"registry.example.com/alpine:3.20": "docker-image://alpine:3.20"},
			want: []string{"1 TL401 error"}},
		{name: "exception for a stage from a named context", policy: "baseImages: {allowed: [registry.example.com]}\nexceptions: [{rule: TL401, subject: 'context:rootfs', reason: fixture, expires: 2026-12-01}]",
			dockerfile: "FROM registry.example.com/alpine:3.20 AS rootfs\nFROM rootfs\n", contexts: map[string]string{"rootfs": "local:rootfs"},
			want: []string{"1 TL401 suppressed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := analysis.Analyze("Dockerfile", []byte(tt.dockerfile), analysis.Options{Rewrite: true, Policy: mergePolicy(t, tt.policy), Now: now, NamedContexts: tt.contexts})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range res.Notes {
				got = append(got, "note: "+n.Message)
			}
			for _, fd := range res.Findings {
				got = append(got, strings.Join([]string{itoa(fd.Range.Start.Line), fd.Rule.ID, fd.Severity.String(), fd.Message}, " "))
			}
			for _, s := range res.Suppressed {
				got = append(got, strings.Join([]string{itoa(s.Finding.Range.Start.Line), s.Finding.Rule.ID, "suppressed"}, " "))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i, w := range tt.want {
				ok := strings.HasPrefix(got[i], w)
				if !ok { // "line ID severity words…": the words may be anywhere in the message
					fields := strings.Fields(w)
					ok = len(fields) > 3 && strings.HasPrefix(got[i], strings.Join(fields[:3], " ")) && strings.Contains(got[i], strings.Join(fields[3:], " "))
				}
				if !ok {
					t.Errorf("got[%d] = %q, want %q", i, got[i], w)
				}
			}
			if tt.rewritten != "" && !strings.Contains(string(res.Dockerfile), tt.rewritten) {
				t.Errorf("rewritten Dockerfile:\n%s\nwant it to contain %q", res.Dockerfile, tt.rewritten)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
