package rules

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/shellflow"
)

func TestRemoves(t *testing.T) {
	for _, tc := range []struct {
		removed, file, rel string
		ok                 bool
	}{
		{"/root/.npmrc", "/root/.npmrc", "", true},
		{"/root/.ssh", "/root/.ssh/id_rsa", "id_rsa", true},
		{"/root/.ssh/id_*", "/root/.ssh/id_rsa", "", true},
		{"/root/*", "/root/.ssh/id_rsa", "id_rsa", true},
		{"/root/.ssh", "/root/.sshx/id_rsa", "", false},
		{"/app/.npmrc", "/root/.npmrc", "", false},
		{"/", "/root/.npmrc", "root/.npmrc", true},
	} {
		rel, ok := removes(tc.removed, tc.file)
		if rel != tc.rel || ok != tc.ok {
			t.Errorf("removes(%q, %q) = %q, %v; want %q, %v", tc.removed, tc.file, rel, ok, tc.rel, tc.ok)
		}
	}
}

func TestHomeOf(t *testing.T) {
	for user, want := range map[string]string{
		"": "/root", "root": "/root", "0:0": "/root", "node": "/home/node", "app:app": "/home/app",
		"1000": "", "1000:1000": "", "nobody": "/nonexistent", "$USER": "",
	} {
		if got := homeOf(user); got != want {
			t.Errorf("homeOf(%q) = %q, want %q", user, got, want)
		}
	}
}

func TestIsPosixShell(t *testing.T) {
	for _, tc := range []struct {
		shell []string
		want  bool
	}{
		{nil, true},
		{[]string{"/bin/sh", "-c"}, true},
		{[]string{"/bin/bash", "-o", "pipefail", "-c"}, true},
		{[]string{"powershell", "-Command"}, false},
		{[]string{"pwsh", "-c"}, false},
		{[]string{"cmd", "/S", "/C"}, false},
		{[]string{`C:\Windows\System32\cmd.exe`, "/C"}, false},
	} {
		if got := isPosixShell(tc.shell); got != tc.want {
			t.Errorf("isPosixShell(%q) = %v, want %v", tc.shell, got, tc.want)
		}
	}
}

// TestRoles checks which stages' layers are exported.
func TestRoles(t *testing.T) {
	src := `FROM alpine AS base
FROM base AS build
FROM alpine AS tools
FROM alpine AS test
COPY --from=build /x /x
FROM alpine
FROM base AS final
COPY --from=tools /t /t
`
	f, err := model.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var findings []Finding
	fl := (&Pass{File: f, rule: TL201, findings: &findings, shared: &shared{}}).flow()
	want := []role{roleImage, roleBuilder, roleBuilder, roleTarget, roleUnbuilt, roleImage}
	for i, s := range f.Stages {
		if got := fl.stage(s).role; got != want[i] {
			t.Errorf("stage %d (%s): role %d, want %d", i, s, got, want[i])
		}
	}
}

func TestWorthAnalysing(t *testing.T) {
	for script, want := range map[string]bool{
		"apt-get update && apt-get install -y curl": false,
		"go build -o /out/app ./cmd/app":            false,
		"npm run build && npm prune --omit=dev":     false,
		"npm config set fund false":                 true, // the analysis decides what the key is
		"git clone https://github.com/acme/x.git":   true,
		"/usr/local/bin/docker login ghcr.io":       true,
		"pip3.12 config set global.index-url x":     true,
		"./gen > /root/.ssh/deploy_rsa":             true,
		"echo A=1 > /app/.env":                      true,
	} {
		spec := shellflowSpec(script)
		if got := worthAnalysing(&spec, nil, false); got != want {
			t.Errorf("worthAnalysing(%q) = %v, want %v", script, got, want)
		}
	}
}

func shellflowSpec(script string) shellflow.Spec { return shellflow.Spec{Script: script} }

func TestCleanContextPath(t *testing.T) {
	for _, p := range []string{"", ".", "..", "/", "a", "a/b", "a/b/", "/a/b", "./a", "a/./b", "a/../b", "a//b", "../a", `a\b`, `a\..\b`, "a/..", "a/.", ".a/b..", "...", "a b/c"} {
		want := path.Clean("/" + strings.ReplaceAll(p, "\\", "/"))
		if want == "/" {
			want = "."
		} else {
			want = want[1:]
		}
		if got := cleanContextPath(p); got != want {
			t.Errorf("cleanContextPath(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestMentionsStoreTool compares mentionsStoreTool with a plain reading of storeTriggers.
func TestMentionsStoreTool(t *testing.T) {
	want := func(s string) bool {
		var tools []string
		words(s, func(w string) {
			if strings.HasPrefix(w, "pip") {
				w = "pip"
			}
			if _, ok := storeTriggers[w]; ok {
				tools = append(tools, w)
			}
		})
		found := false
		words(s, func(w string) {
			for _, tool := range tools {
				found = found || slices.Contains(storeTriggers[tool], w)
			}
		})
		return found
	}
	var texts []string
	for tool, triggers := range storeTriggers {
		for _, tr := range triggers {
			texts = append(texts, tool+" "+tr, tr+" "+tool, "/usr/bin/"+tool+" --x "+tr+"=1", tool+tr, tool+" x"+tr, "pip3.12 "+tr)
		}
		texts = append(texts, tool, tool+" install", "sudo "+tool)
	}
	texts = append(texts, "", "apt-get install -y git", "set -o pipefail; npm config get x", "pipx config", "yarn npm", "npm yarn")
	for _, s := range texts {
		if got := mentionsStoreTool(s); got != want(s) {
			t.Errorf("mentionsStoreTool(%q) = %v, want %v", s, got, want(s))
		}
	}
}

// TestScriptMentionsStoreTool checks that a subcommand word standing as a command name does not count,
// and that every other occurrence does.
func TestScriptMentionsStoreTool(t *testing.T) {
	for script, want := range map[string]bool{
		"set -eux; npm --version":                                    false,
		"addgroup -S app && adduser -S app -G app && npm ci":         false,
		"if [ -f yarn.lock ]; then yarn; elif true; then npm ci; fi": false,
		"apk add curl\nset -e\nnpm --version":                        false,
		`X="$(apk --print-arch)" && set -e && npm --version`:         false,
		"(set -e; npm --version) || npm --version":                   false,
		"npm config set //r/:_authToken=x":                           true,
		"set -e; npm set registry https://r/":                        true,
		"sudo docker login -u ci ghcr.io":                            true,
		"sh -c 'set -e; npm set x y'":                                true,
		`echo "$(docker login -u ci)"`:                               true,
		"X=$(npm set x y)":                                           true,
		"npm \\\n  set x y":                                          true,
		"SUB=login; docker $SUB":                                     true,
		"docker ${REGISTRY_OPTS} login":                              true,
		"npm --version; exec set":                                    true,
		"npm --version; echo then set":                               true,
		"npm --version; x=1 set":                                     true,
		"npm --version; \"set\" -e":                                  true,
		"npm --version; \\set -e":                                    true,
		"npm --version &>/dev/null set":                              true,
		"npm --version; a=(set x)":                                   true, // not followed: every word counts
		"npm --version; cat <<EOF\nx\nEOF\nset -e":                   true, // not followed
		"npm --version; `set -e`":                                    true, // not followed
		"npm --version; $(case x in a) set;; esac)":                  true, // not followed
		"npm --version; echo \"${X:-\"set\"}\"":                      true, // not followed
	} {
		if got := scriptMentionsStoreTool(script); got != want {
			t.Errorf("scriptMentionsStoreTool(%q) = %v, want %v", script, got, want)
		}
		if !want && !mentionsStoreTool(script) {
			t.Errorf("mentionsStoreTool(%q) = false: the case tests nothing", script)
		}
	}
}

// TestStoresAreAnalysed checks, on every RUN of the test Dockerfiles, that a RUN in which shellflow
// finds a credential store is one that scriptMentionsStoreTool selects for analysis.
func TestStoresAreAnalysed(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../testdata/corpus/*/*.Dockerfile")
	files = append(files, more...)
	stores := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := model.Parse(file, data)
		if err != nil {
			continue
		}
		for _, st := range f.Stages {
			for _, r := range st.Runs {
				if r.Exec || r.Script == nil {
					continue
				}
				script := r.Script.String()
				res, err := shellflow.Analyze(shellflow.Spec{Script: script})
				if err != nil || len(res.Stores) == 0 {
					continue
				}
				stores++
				if !scriptMentionsStoreTool(script) {
					t.Errorf("%s:%d: shellflow finds %s, but the RUN would not be analysed", file, r.Inst.Range.Start.Line, res.Stores[0].Tool)
				}
			}
		}
	}
	if stores < 20 {
		t.Errorf("only %d RUNs with stores in the test Dockerfiles", stores)
	}
}
