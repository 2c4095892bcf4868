package shellflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// baseSpec is the RUN most cases use: two secret mounts (one as a file, one
// also as an env var), a tmpfs at /tmp/eph and a cache mount at
// /root/.cache.
func baseSpec(script string) Spec {
	return Spec{
		Script:      script,
		SecretFiles: []string{"/run/secrets/t", "/run/secrets/npm"},
		SecretEnv:   []string{"NPM_TOKEN", "TOKEN"},
		Ephemeral:   []string{"/tmp/eph"},
		Cache:       []string{"/root/.cache"},
		Workdir:     "/app",
	}
}

func analyze(t *testing.T, spec Spec) *Result {
	t.Helper()
	r, err := Analyze(spec)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return r
}

// leakStrings renders leaks as "SECRET -> DEST (HOW)", with " [cache]".
func leakStrings(r *Result) []string {
	var out []string
	for _, l := range r.Leaks {
		s := fmt.Sprintf("%s -> %s (%s)", l.Secret, l.Dest, l.How)
		if l.Cache {
			s += " [cache]"
		}
		out = append(out, s)
	}
	return out
}

// storeStrings renders stores as "TOOL PATH", with " neutralised".
func storeStrings(r *Result) []string {
	var out []string
	for _, s := range r.Stores {
		str := s.Tool + " " + s.Path
		if s.Neutralised {
			str += " neutralised"
		}
		if s.Cache {
			str += " [cache]"
		}
		out = append(out, str)
	}
	return out
}

func eventStrings(evs []PathEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.How+" "+e.Path)
	}
	return out
}

func noteStrings(ns []Note) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Msg)
	}
	return out
}

type leakCase struct {
	name   string
	script string
	spec   func(*Spec)
	want   []string // leakStrings
}

func runLeakCases(t *testing.T, cases []leakCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := baseSpec(tc.script)
			if tc.spec != nil {
				tc.spec(&spec)
			}
			r := analyze(t, spec)
			got := leakStrings(r)
			if !slices.Equal(got, tc.want) {
				t.Errorf("script:\n%s\nleaks:\n  got  %q\n  want %q\nunsupported: %q", tc.script, got, tc.want, noteStrings(r.Unsupported))
			}
		})
	}
}

func TestSources(t *testing.T) {
	const t1 = "/run/secrets/t -> /app/out (redirect)"
	runLeakCases(t, []leakCase{
		{"cat", "cat /run/secrets/t > /app/out", nil, []string{t1}},
		{"head", "head -c 16 /run/secrets/t > /app/out", nil, []string{t1}},
		{"cat -n", "cat -n /run/secrets/t > /app/out", nil, []string{t1}},
		{"cut", "cut -d: -f2 /run/secrets/t > /app/out", nil, []string{t1}},
		{"tail", "tail -n 1 /run/secrets/t > /app/out", nil, []string{t1}},
		{"input redirect", "cat < /run/secrets/t > /app/out", nil, []string{t1}},
		{"command substitution", `echo "$(cat /run/secrets/t)" > /app/out`, nil, []string{t1}},
		{"backquotes", "echo `cat /run/secrets/t` > /app/out", nil, []string{t1}},
		{"$(< file)", "echo $(< /run/secrets/t) > /app/out", nil, []string{t1}},
		{"relative to workdir", "cat ../run/secrets/t > out", nil, []string{t1}},
		{"glob", "cat /run/secrets/* > /app/out", nil, []string{"/run/secrets/npm -> /app/out (redirect)", t1}},
		{"directory copy", "cp -r /run/secrets /app/", nil, []string{"/run/secrets/npm -> /app/secrets (cp)", "/run/secrets/t -> /app/secrets (cp)"}},
		{"cp", "cp /run/secrets/t /app/out", nil, []string{"/run/secrets/t -> /app/out (cp)"}},
		{"cp into a directory", "cp /run/secrets/t /app/", nil, []string{"/run/secrets/t -> /app/t (cp)"}},
		{"cp -t", "cp -t /app /run/secrets/t", nil, []string{"/run/secrets/t -> /app/t (cp)"}},
		{"install", "install -m 0600 /run/secrets/t /app/out", nil, []string{"/run/secrets/t -> /app/out (install)"}},
		{"hard link", "ln /run/secrets/t /app/out", nil, []string{"/run/secrets/t -> /app/out (ln)"}},
		{"rsync", "rsync -a /run/secrets/ /app/s/", nil, []string{"/run/secrets/npm -> /app/s (rsync)", "/run/secrets/t -> /app/s (rsync)"}},
		{"dd", "dd if=/run/secrets/t of=/app/out bs=1", nil, []string{"/run/secrets/t -> /app/out (dd)"}},
		{"dd to stdout", "dd if=/run/secrets/t status=none > /app/out", nil, []string{t1}},
		{"tar", "tar -czf /app/s.tgz /run/secrets/t", nil, []string{"/run/secrets/t -> /app/s.tgz (tar)"}},
		{"old-style tar with -C", "tar czf /app/s.tgz -C /run/secrets t", nil, []string{"/run/secrets/t -> /app/s.tgz (tar)"}},
		{"base64", "base64 -w0 /run/secrets/t > /app/out", nil, []string{t1}},
		{"gzip -c", "gzip -c /run/secrets/t > /app/out", nil, []string{t1}},
		{"openssl -in -out", "openssl enc -aes-256-cbc -pbkdf2 -k x -in /run/secrets/t -out /app/out", nil, []string{"/run/secrets/t -> /app/out (openssl)"}},
		{"openssl base64", "openssl base64 -in /run/secrets/t > /app/out", nil, []string{t1}},
		{"env var", "echo $TOKEN > /app/out", nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"env var braces", "echo ${TOKEN} > /app/out", nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"env var default", `echo "${TOKEN:-}" > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"env var in a string", `echo "token=${TOKEN#x}!" > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"env var substring", `echo "${TOKEN:0:4}" > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"derived variable", "T=$(cat /run/secrets/t)\nexport X=$T\necho $X > /app/out", nil, []string{t1}},
		{"derived variable, POSIX export", "T=$(cat /run/secrets/t); export X=\"$T\"; echo \"$X\" > /app/out", nil, []string{t1}},
		{"appended variable", "A=x; A+=$TOKEN; echo $A > /app/out", nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"pipeline", "cat /run/secrets/t | base64 > /app/out", nil, []string{t1}},
		{"pipeline through tr and sed", "cat /run/secrets/t | tr -d '\\n' | sed 's/^/x/' > /app/out", nil, []string{t1}},
		{"tr with two sets", "tr a-z A-Z < /run/secrets/t > /app/out", nil, []string{t1}},
		{"grep -v", "grep -v '^#' /run/secrets/t > /app/out", nil, []string{t1}},
		{"jq with --arg before the filter", `jq -r --arg k token '.[$k]' /run/secrets/t > /app/out`, nil, []string{t1}},
		{"printf", `T=$(cat /run/secrets/t); printf '%s' "$T" > /app/out`, nil, []string{t1}},
		{"printf -v", `printf -v X '%s' "$TOKEN"; echo "$X" > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"npmrc", `echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" >> ~/.npmrc`, nil, []string{"NPM_TOKEN -> /root/.npmrc (redirect)"}},
		{"sed -i", `sed -i "s/TOKEN_PLACEHOLDER/$TOKEN/" /app/config.yml`, nil, []string{"TOKEN -> /app/config.yml (sed -i)"}},
		{"sed -i with -e", `sed -i.bak -e "s/x/$TOKEN/g" config.yml`, nil, []string{"TOKEN -> /app/config.yml (sed -i)"}},
		{"perl -pi", `perl -pi -e "s/x/$TOKEN/" /app/config.yml`, nil, []string{"TOKEN -> /app/config.yml (perl -i)"}},
		{"heredoc", "cat > /app/out <<EOF\ntoken: $TOKEN\nEOF", nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"heredoc with command substitution", "cat > /app/out <<-EOF\n\tkey=$(cat /run/secrets/t)\n\tEOF", nil, []string{t1}},
		{"here-string", "cat <<< \"$TOKEN\" > /app/out", nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"read", "read -r T < /run/secrets/t\necho \"$T\" > /app/out", nil, []string{t1}},
		{"IFS= read", "IFS= read -r T < /run/secrets/t; echo \"$T\" > /app/out", nil, []string{t1}},
		{"while read loop", "while read -r line; do echo \"$line\" >> /app/out; done < /run/secrets/t", nil, []string{t1}},
		{"xargs", "cat /run/secrets/t | xargs echo > /app/out", nil, []string{t1}},
		{"xargs -I", "cat /run/secrets/t | xargs -I{} sh -c 'echo {} > /app/out'", nil, []string{t1}},
		{"awk -v", `awk -v t="$TOKEN" '{print t}' in.txt > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"jq --arg", `jq --arg t "$TOKEN" '.token=$t' in.json > /app/out`, nil, []string{"TOKEN -> /app/out (redirect)"}},
		{"envsubst", "envsubst < template > /app/out", nil, []string{"NPM_TOKEN -> /app/out (redirect)", "TOKEN -> /app/out (redirect)"}},
		{"process substitution", "cp <(cat /run/secrets/t) /app/out", nil, []string{"/run/secrets/t -> /app/out (cp)"}},
		{"file written then copied", "cat /run/secrets/t > /tmp/eph/x\ncp /tmp/eph/x /app/x", nil, []string{"/run/secrets/t -> /app/x (cp)"}},
		{"file written then moved", "cat /run/secrets/t > /tmp/eph/x && mv /tmp/eph/x /app/x", nil, []string{"/run/secrets/t -> /app/x (mv)"}},
		{"credential ARG", "echo $GH_PAT > /app/out", func(s *Spec) { s.SecretEnv = append(s.SecretEnv, "GH_PAT") }, []string{"GH_PAT -> /app/out (redirect)"}},
		{"secret mount with custom target", "cat /etc/token > /app/out", func(s *Spec) { s.SecretFiles = []string{"/etc/token"} }, []string{"/etc/token -> /app/out (redirect)"}},
		{"sourced secret file", "set -a; . /run/secrets/t; set +a\necho \"$API_KEY\" > /app/out", nil, []string{t1}},
		{"export of computed names", "export $(grep -v '^#' /run/secrets/t | xargs)\necho \"$API_KEY\" > /app/out", nil, []string{t1}},
		{"export in a read loop", "while IFS='=' read -r k v; do export \"$k=$v\"; done < /run/secrets/t\nenv > /app/out", func(s *Spec) { s.SecretEnv = nil }, []string{"/run/secrets/t -> /app/out (environment dump)"}},
		{"cp of a directory's contents", "cat /run/secrets/t > /tmp/eph/x && cp -a /tmp/eph/. /app/", nil, []string{"/run/secrets/t -> /app (cp)"}},
		{"arithmetic", "echo $((TOKEN + 1)) > /app/out", nil, []string{"TOKEN -> /app/out (redirect)"}},
	})
}

func TestSinks(t *testing.T) {
	const tok = "TOKEN -> /app/out (redirect)"
	runLeakCases(t, []leakCase{
		{">", "echo $TOKEN > /app/out", nil, []string{tok}},
		{">>", "echo $TOKEN >> /app/out", nil, []string{tok}},
		{"&>", "echo $TOKEN &> /app/out", nil, []string{tok}},
		{"&>>", "echo $TOKEN &>> /app/out", nil, []string{tok}},
		{">|", "echo $TOKEN >| /app/out", nil, []string{tok}},
		{"1>", "echo $TOKEN 1> /app/out", nil, []string{tok}},
		{">&file", "echo $TOKEN >& /app/out", nil, []string{tok}},
		{"2> of an unknown program", "mytool --token $TOKEN 2> /app/out", nil, []string{tok}},
		{"2>&1", "mytool --token $TOKEN > /app/out 2>&1", nil, []string{tok}},
		{"stderr of echo", "echo $TOKEN 2> /app/out", nil, nil},
		{"tee", "echo $TOKEN | tee /app/out", nil, []string{"TOKEN -> /app/out (tee)"}},
		{"tee -a", "echo $TOKEN | tee -a /app/out >/dev/null", nil, []string{"TOKEN -> /app/out (tee)"}},
		{"tee /dev/stderr", "echo $TOKEN | tee /dev/stderr", nil, nil},
		{"block redirect", "{ echo a; echo $TOKEN; } > /app/out", nil, []string{tok}},
		{"subshell redirect", "( echo $TOKEN ) > /app/out", nil, []string{tok}},
		{"if redirect", "if true; then echo $TOKEN; fi > /app/out", nil, []string{tok}},
		{"loop redirect", "for i in 1 2; do echo $TOKEN; done > /app/out", nil, []string{tok}},
		{"exec redirect", "exec > /app/out 2>&1\necho $TOKEN", nil, []string{tok}},
		{"/dev/stdout in a redirected block", "{ echo $TOKEN > /dev/stdout; } > /app/out", nil, []string{tok}},
		{"/dev/null", "echo $TOKEN > /dev/null", nil, nil},
		{"/dev/stdout", "echo $TOKEN > /dev/stdout", nil, nil},
		{"/dev/stderr", "echo $TOKEN >&2", nil, nil},
		{"/proc/self/fd/1", "echo $TOKEN > /proc/self/fd/1", nil, nil},
		{"env", "env > /app/out", nil, []string{"NPM_TOKEN -> /app/out (environment dump)", "TOKEN -> /app/out (environment dump)"}},
		{"printenv", "printenv > /app/out", nil, []string{"NPM_TOKEN -> /app/out (environment dump)", "TOKEN -> /app/out (environment dump)"}},
		{"env through a pipe", "env | sort > /app/out", nil, []string{"NPM_TOKEN -> /app/out (redirect)", "TOKEN -> /app/out (redirect)"}},
		{"printenv NAME", "printenv TOKEN > /app/out", nil, []string{tok}},
		{"set", "set > /app/out", func(s *Spec) { s.SecretEnv = []string{"TOKEN"} }, []string{"TOKEN -> /app/out (environment dump)"}},
		{"set sees unexported variables", "T=$(cat /run/secrets/t); set > /app/out", func(s *Spec) { s.SecretEnv = nil }, []string{"/run/secrets/t -> /app/out (environment dump)"}},
		{"export -p", "export -p > /app/out", func(s *Spec) { s.SecretEnv = []string{"TOKEN"} }, []string{"TOKEN -> /app/out (environment dump)"}},
		{"declare -x", "declare -x > /app/out", func(s *Spec) { s.SecretEnv = []string{"TOKEN"} }, []string{"TOKEN -> /app/out (environment dump)"}},
		{"declare -p", "declare -p > /app/out", func(s *Spec) { s.SecretEnv = []string{"TOKEN"} }, []string{"TOKEN -> /app/out (environment dump)"}},
		{"env sees exported derived variables", "export T=$(cat /run/secrets/t); env > /app/out", func(s *Spec) { s.SecretEnv = nil }, []string{"/run/secrets/t -> /app/out (environment dump)"}},
		{"env does not see unexported variables", "T=$(cat /run/secrets/t); env > /app/out", func(s *Spec) { s.SecretEnv = nil }, nil},
		{"env without secrets in scope", "env > /app/out", func(s *Spec) { s.SecretEnv = nil }, nil},
		{"env -i", "env -i PATH=/bin sh -c 'env > /app/out'", nil, nil},
		{"ephemeral", "echo $TOKEN > /tmp/eph/x", nil, nil},
		{"cache mount", "echo $TOKEN > /root/.cache/tok", nil, []string{"TOKEN -> /root/.cache/tok (redirect) [cache]"}},
		{"overwritten later", "echo $TOKEN > /app/out\necho clean > /app/out", nil, nil},
		{"appended later", "echo $TOKEN > /app/out\necho more >> /app/out", nil, []string{tok}},
		{"python reading the environment", `python3 -c "import os; print(os.environ['TOKEN'])" > /app/out`, nil, []string{tok}},
		{"node reading the environment", `node -e 'console.log(process.env.TOKEN)' > /app/out`, nil, []string{tok}},
		{"python not naming a secret", `python3 -c "import os; print(os.environ['TOKENS'])" > /app/out`, nil, nil},
		{"baked into a binary", `go build -ldflags "-X main.token=$TOKEN" -o /app/server .`, nil, []string{"TOKEN -> /app/server (go -o)"}},
		{"terraform plan -out", `terraform plan -var "token=$TOKEN" -out=/app/plan.tfplan`, nil, []string{"TOKEN -> /app/plan.tfplan (terraform -out)"}},
		{"curl -v stderr", `curl -v -H "Authorization: Bearer $TOKEN" https://x 2> /app/out`, nil, []string{tok}},
		{"curl --trace-ascii", `curl --trace-ascii /app/trace -H "Authorization: Bearer $TOKEN" https://x`, nil, []string{"TOKEN -> /app/trace (curl --trace-ascii)"}},
		{"unknown destination", "echo $TOKEN > $OUT", nil, []string{"TOKEN -> $OUT (redirect)"}},
		{"destination from ENV", "echo $TOKEN > $APP_DIR/tok", func(s *Spec) { s.Env = map[string]string{"APP_DIR": "/srv/app"} }, []string{"TOKEN -> /srv/app/tok (redirect)"}},
		{"home from Spec", "echo $TOKEN > ~/tok", func(s *Spec) { s.Home = "/home/node" }, []string{"TOKEN -> /home/node/tok (redirect)"}},
		{"home from ENV", "echo $TOKEN > $HOME/tok", func(s *Spec) { s.Env = map[string]string{"HOME": "/srv"} }, []string{"TOKEN -> /srv/tok (redirect)"}},
		{"cd", "cd /srv && echo $TOKEN > tok", nil, []string{"TOKEN -> /srv/tok (redirect)"}},
		{"cd in a subshell does not last", "(cd /srv) && echo $TOKEN > tok", nil, []string{"TOKEN -> /app/tok (redirect)"}},
	})
}

// TestCorrectUse lists ways of using secrets that leave nothing behind.
func TestCorrectUse(t *testing.T) {
	runLeakCases(t, []leakCase{
		{"secret env for npm ci", "npm ci", nil, nil},
		{"curl with a header from a secret file", `curl -fsSL -H "Authorization: Bearer $(cat /run/secrets/t)" https://x -o /app/file`, nil, nil},
		{"temp file removed", "echo $TOKEN > /tmp/x && use /tmp/x && rm /tmp/x", nil, nil},
		{"non-secret data", "echo hello > /app/out && cat /etc/os-release > /app/os", nil, nil},
		{"escaped reference", `echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > /app/.npmrc`, nil, nil},
		{"single-quoted reference", `echo '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' > .npmrc`, nil, nil},
		{"quoted heredoc", "cat > .npmrc <<'EOF'\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nEOF", nil, nil},
		{"transient git -c", `git -c http.extraHeader="Authorization: Bearer $TOKEN" clone https://github.com/o/r.git`, nil, nil},
		{"hash of a secret", "sha256sum /run/secrets/t > /app/sum", nil, nil},
		{"length of a secret", "echo ${#TOKEN} > /app/len; wc -c < /run/secrets/t > /app/len2", nil, nil},
		{"env for one command", "TOKEN=$(cat /run/secrets/t) npm publish", nil, nil},
		{"pip with credentials in the URL", "pip install --index-url https://u:$TOKEN@pypi.example.com/simple pkg", nil, nil},
		{"unset", "X=$TOKEN; unset X; echo $X > /app/out", nil, nil},
		{"unexported variable in sh -c", "T=$(cat /run/secrets/t); sh -c 'echo $T > /app/out'", nil, nil},
		{"symlink to a secret", "ln -s /run/secrets/t /app/t", nil, nil},
		{"function defined but not called", "f() { echo $TOKEN > /app/out; }", nil, nil},
		{"secret in a subshell variable", "(T=$(cat /run/secrets/t)); echo $T > /app/out", nil, nil},
		{"docker build secret passed on", "docker build --secret id=t,src=/run/secrets/t -t x . > /app/build.log", nil, nil},
		{"password-file", "rsync --password-file=/run/secrets/t rsync://host/mod/ /app/data/", nil, nil},
		{"grep -q", "grep -q x /run/secrets/t && echo found > /app/out", nil, nil},
		{"secret in a test", `[ -n "$TOKEN" ] && echo ok > /app/out`, nil, nil},
		{"failing branch", "echo $TOKEN > /app/out || exit 1\nexit 1", nil, nil},
	})
}

func TestTempFiles(t *testing.T) {
	const x = "TOKEN -> /tmp/x (redirect)"
	runLeakCases(t, []leakCase{
		{"rm -f later", "echo $TOKEN > /tmp/x; build; rm -f /tmp/x", nil, nil},
		{"rm -rf of the directory", "mkdir /tmp/d && echo $TOKEN > /tmp/d/x && build && rm -rf /tmp/d", nil, nil},
		{"rm -rf with a trailing slash", "echo $TOKEN > /tmp/d/x; rm -rf /tmp/d/", nil, nil},
		{"rm glob", "echo $TOKEN > /tmp/x.tok; rm -f /tmp/*.tok", nil, nil},
		{"rm -r glob", "echo $TOKEN > /tmp/d/x; rm -rf /tmp/*", nil, nil},
		{"rm without -r does not remove a directory", "echo $TOKEN > /tmp/d/x; rm -f /tmp/d", nil, []string{"TOKEN -> /tmp/d/x (redirect)"}},
		{"rm brace expansion", "echo $TOKEN > /tmp/a; echo $TOKEN > /tmp/b; rm -f /tmp/{a,b}", nil, nil},
		{"shred -u", "echo $TOKEN > /tmp/x; shred -u /tmp/x", nil, nil},
		{"shred without -u overwrites", "echo $TOKEN > /tmp/x; shred /tmp/x", nil, nil},
		{"unlink", "echo $TOKEN > /tmp/x; unlink /tmp/x", nil, nil},
		{"trap EXIT", "trap 'rm -f /tmp/x' EXIT\necho $TOKEN > /tmp/x\nbuild", nil, nil},
		{"trap 0", "trap \"rm -rf /tmp/d\" 0; echo $TOKEN > /tmp/d/x", nil, nil},
		{"trap with a variable", "F=/tmp/x\ntrap 'rm -f \"$F\"' EXIT\necho $TOKEN > $F", nil, nil},
		{"trap reset", "trap 'rm -f /tmp/x' EXIT; echo $TOKEN > /tmp/x; trap - EXIT", nil, []string{x}},
		{"trap on another signal", "trap 'rm -f /tmp/x' INT; echo $TOKEN > /tmp/x", nil, []string{x}},
		{"trap set in a branch", "if c; then trap 'rm -f /tmp/x' EXIT; fi; echo $TOKEN > /tmp/x", nil, []string{x}},
		{"no removal", "echo $TOKEN > /tmp/x", nil, []string{x}},
		{"removal in an if", "echo $TOKEN > /tmp/x; if [ -f /tmp/x ]; then rm /tmp/x; fi", nil, []string{x}},
		{"removal in both branches", "echo $TOKEN > /tmp/x; if c; then rm /tmp/x; else rm -f /tmp/x; fi", nil, nil},
		{"removal in elif chain without else", "echo $TOKEN > /tmp/x; if a; then rm /tmp/x; elif b; then rm /tmp/x; fi", nil, []string{x}},
		{"removal after ||", "echo $TOKEN > /tmp/x; build || rm /tmp/x", nil, []string{x}},
		{"removal after &&", "echo $TOKEN > /tmp/x; build && rm /tmp/x", nil, nil},
		{"write and removal in the same branch", "if c; then echo $TOKEN > /tmp/x; use; rm /tmp/x; fi", nil, nil},
		{"exit before the removal", "echo $TOKEN > /tmp/x; if c; then exit 0; fi; rm /tmp/x", nil, []string{x}},
		{"failing exit before the removal", "echo $TOKEN > /tmp/x || exit 1; rm /tmp/x", nil, nil},
		{"removal in a case with a default", "echo $TOKEN > /tmp/x; case $A in a) rm /tmp/x;; *) rm -f /tmp/x;; esac", nil, nil},
		{"removal in a case without a default", "echo $TOKEN > /tmp/x; case $A in a) rm /tmp/x;; esac", nil, []string{x}},
		{"removal in a literal for loop", "echo $TOKEN > /tmp/a; echo $TOKEN > /tmp/b; for f in /tmp/a /tmp/b; do rm \"$f\"; done", nil, nil},
		{"removal in a loop over unknown items", "echo $TOKEN > /tmp/a; for f in $FILES; do rm \"$f\"; done", nil, []string{"TOKEN -> /tmp/a (redirect)"}},
		{"removal in a while loop", "echo $TOKEN > /tmp/x; while c; do rm -f /tmp/x; done", nil, []string{x}},
		{"removal after break", "echo $TOKEN > /tmp/x; for i in 1 2; do break; rm /tmp/x; done", nil, []string{x}},
		{"removal in a function", "cleanup() { rm -f /tmp/x; }\necho $TOKEN > /tmp/x\ncleanup", nil, nil},
		{"removal in a function that returns first", "cleanup() { return 0; rm -f /tmp/x; }\necho $TOKEN > /tmp/x\ncleanup", nil, []string{x}},
		{"removal in a subshell", "(echo $TOKEN > /tmp/x); (rm /tmp/x)", nil, nil},
		{"removal in sh -c", "echo $TOKEN > /tmp/x; sh -c 'rm -f /tmp/x'", nil, nil},
		{"mktemp -d", "D=$(mktemp -d)\necho $TOKEN > \"$D/x\"\nbuild\nrm -rf \"$D\"", nil, nil},
		{"mktemp -d not removed", "D=$(mktemp -d); echo $TOKEN > $D/x", nil, []string{"TOKEN -> /tmp/tmp.XXXXXXXXXX/x (redirect)"}},
		{"mktemp with trap", "F=$(mktemp)\ntrap 'rm -f \"$F\"' EXIT\necho $TOKEN > \"$F\"", nil, nil},
		{"mktemp in a tmpfs", "D=$(mktemp -d -p /tmp/eph); echo $TOKEN > $D/x", nil, nil},
		{"relative path after cd", "cd /tmp && echo $TOKEN > x && build && rm x", nil, nil},
		{"unknown directory, same variable", "echo $TOKEN > $WORK/x; rm -rf $WORK", nil, nil},
		{"find -delete", "echo $TOKEN > /tmp/x.tok; find /tmp -name '*.tok' -delete", nil, nil},
		{"find -delete other name", "echo $TOKEN > /tmp/x.tok; find /tmp -name '*.txt' -delete", nil, []string{"TOKEN -> /tmp/x.tok (redirect)"}},
		{"find -exec rm", "echo $TOKEN > /tmp/d/x; find /tmp/d -type f -exec rm -f {} +", nil, nil},
		{"find with a test it cannot evaluate", "echo $TOKEN > /tmp/x; find /tmp -mmin +5 -delete", nil, []string{x}},
		{"gzip moves the file", "echo $TOKEN > /tmp/x; gzip /tmp/x; rm -f /tmp/x", nil, []string{"TOKEN -> /tmp/x.gz (gzip)"}},
		{"hard link survives rm", "echo $TOKEN > /tmp/x; ln /tmp/x /app/x; rm /tmp/x", nil, []string{"TOKEN -> /app/x (ln)"}},
		{"removal in a cache mount", "echo $TOKEN > /root/.cache/t; rm -rf /root/.cache/*", nil, nil},
	})
}

func TestControlFlow(t *testing.T) {
	const tok = "TOKEN -> /app/out (redirect)"
	runLeakCases(t, []leakCase{
		{"if branch", "if [ -n \"$X\" ]; then echo $TOKEN > /app/out; fi", nil, []string{tok}},
		{"else branch", "if c; then :; else echo $TOKEN > /app/out; fi", nil, []string{tok}},
		{"taint from one branch", "if c; then T=$TOKEN; else T=x; fi; echo $T > /app/out", nil, []string{tok}},
		{"case", "case \"$A\" in a) echo $TOKEN > /app/out;; esac", nil, []string{tok}},
		{"for", "for i in 1 2 3; do echo $TOKEN >> /app/out; done", nil, []string{tok}},
		{"c-style for", "for ((i=0; i<3; i++)); do echo $TOKEN >> /app/out; done", nil, []string{tok}},
		{"until", "until c; do echo $TOKEN > /app/out; done", nil, []string{tok}},
		{"taint across iterations", "X=; for i in 1 2; do echo $X > /app/out; X=$TOKEN; done", nil, []string{tok}},
		{"function with an argument", "w() { echo \"$1\" > /app/out; }\nw \"$TOKEN\"", nil, []string{tok}},
		{"function keyword", "function w { printf '%s' \"$@\" > /app/out; }; w x $TOKEN", nil, []string{tok}},
		{"function setting a global", "get() { T=$(cat /run/secrets/t); }; get; echo $T > /app/out", nil, []string{"/run/secrets/t -> /app/out (redirect)"}},
		{"block", "{ T=$(cat /run/secrets/t); }; echo $T > /app/out", nil, []string{"/run/secrets/t -> /app/out (redirect)"}},
		{"&& chain", "apt-get update && T=$TOKEN && echo $T > /app/out && rm -rf /var/lib/apt/lists/*", nil, []string{tok}},
		{"set -e is irrelevant", "set -eux\necho $TOKEN > /app/out", nil, []string{tok}},
		{"env VAR=", "env VAR=$TOKEN sh -c 'echo $VAR > /app/out'", nil, []string{tok}},
		{"prefix assignment", "VAR=$TOKEN sh -c 'echo $VAR > /app/out'", nil, []string{tok}},
		{"sudo", `sudo sh -c "echo $TOKEN > /app/out"`, nil, []string{tok}},
		{"sudo resets the environment", `sudo sh -c 'echo $TOKEN > /app/out'`, nil, nil},
		{"sudo -E keeps it", `sudo -E sh -c 'echo $TOKEN > /app/out'`, nil, []string{tok}},
		{"exec", "exec sh -c 'echo $TOKEN > /app/out'", nil, []string{tok}},
		{"exec ends the script", "echo $TOKEN > /tmp/x; exec build; rm /tmp/x", nil, []string{"TOKEN -> /tmp/x (redirect)"}},
		{"bash -c double-quoted", `bash -c "echo $TOKEN > /app/out"`, nil, []string{tok}},
		{"bash -lc", `bash -lc 'echo $TOKEN > /app/out'`, nil, []string{tok}},
		{"sh -c with positional arguments", `sh -c 'echo "$1" > /app/out' _ "$TOKEN"`, nil, []string{tok}},
		{"nested sh -c", `bash -c 'sh -c "echo \$TOKEN > /app/out"'`, nil, []string{tok}},
		{"shell reading a heredoc", "bash <<EOF\necho $TOKEN > /app/out\nEOF", nil, []string{tok}},
		{"shell reading a quoted heredoc", "bash <<'EOF'\necho $TOKEN > /app/out\nEOF", nil, []string{tok}},
		{"su -c", `su node -c 'echo $TOKEN > /app/out'`, nil, []string{tok}},
		{"eval literal", `eval 'echo $TOKEN > /app/out'`, nil, []string{tok}},
		{"eval with expansion", `eval "echo $TOKEN > /app/out"`, nil, []string{tok}},
		{"eval with several arguments", `eval echo $TOKEN '>' /app/out`, nil, []string{tok}},
		{"bash with options reading a heredoc", "bash -o pipefail <<EOF\necho $TOKEN > /app/out\nEOF", nil, []string{tok}},
		{"sudo -i", `sudo -E -i printf '%s' "$TOKEN" '>' /app/out`, nil, []string{tok}},
		{"xargs sh -c", `echo $TOKEN | xargs -I % sh -c 'echo % > /app/out'`, nil, []string{tok}},
		{"timeout and nice", "timeout 60 nice -n 5 sh -c 'echo $TOKEN > /app/out'", nil, []string{tok}},
		{"command", "command printf '%s' $TOKEN > /app/out", nil, []string{tok}},
		{"pipeline into read", "cat /run/secrets/t | read -r T; echo $T > /app/out", nil, []string{"/run/secrets/t -> /app/out (redirect)"}},
		{"exit 1 path leaves nothing", "if c; then echo $TOKEN > /app/out; exit 1; fi", nil, nil},
		{"python -m pip", "python3 -m pip config set global.index-url https://u:$TOKEN@x/simple", nil, []string{"TOKEN -> /root/.config/pip/pip.conf (pip config set)"}},
	})
}

func TestStores(t *testing.T) {
	cases := []struct {
		name   string
		script string
		spec   func(*Spec)
		want   []string // storeStrings
	}{
		{"docker login", "docker login -u ci -p $TOKEN registry.example.com", nil, []string{"docker login /root/.docker/config.json"}},
		{"docker login --password-stdin", "echo $NPM_TOKEN | docker login --password-stdin -u ci registry.example.com", nil, []string{"docker login /root/.docker/config.json"}},
		{"docker login, config removed", "echo $NPM_TOKEN | docker login --password-stdin -u ci reg && docker pull reg/x && rm -rf /root/.docker", nil, []string{"docker login /root/.docker/config.json neutralised"}},
		{"docker logout", "docker login -u ci -p $TOKEN reg; docker pull reg/x; docker logout reg", nil, []string{"docker login /root/.docker/config.json neutralised"}},
		{"docker login, removal in a branch", "docker login -u ci -p $TOKEN reg; if c; then rm -rf ~/.docker; fi", nil, []string{"docker login /root/.docker/config.json"}},
		{"DOCKER_CONFIG in a tmpfs", "DOCKER_CONFIG=/tmp/eph/docker docker login -u ci -p $TOKEN reg", nil, []string{"docker login /tmp/eph/docker/config.json neutralised"}},
		{"exported DOCKER_CONFIG", "export DOCKER_CONFIG=/tmp/eph/d; docker login -u ci -p $TOKEN reg", nil, []string{"docker login /tmp/eph/d/config.json neutralised"}},
		{"unexported DOCKER_CONFIG is not seen", "DOCKER_CONFIG=/tmp/eph/d; docker login -u ci -p $TOKEN reg", nil, []string{"docker login /root/.docker/config.json"}},
		{"docker --config", "docker --config /tmp/eph/d login -u ci -p $TOKEN reg", nil, []string{"docker login /tmp/eph/d/config.json neutralised"}},
		{"HOME in a tmpfs", "HOME=/tmp/eph docker login -u ci -p $TOKEN reg", nil, []string{"docker login /tmp/eph/.docker/config.json neutralised"}},
		{"docker login without a secret", "docker login -u ci -p hunter2 reg", nil, []string{"docker login /root/.docker/config.json"}},
		{"helm registry login", "helm registry login reg -u ci --password $TOKEN", nil, []string{"helm registry login /root/.config/helm/registry/config.json"}},
		{"helm repo add with password", "helm repo add x https://charts --username u --password $TOKEN", nil, []string{"helm repo add /root/.config/helm/repositories.yaml"}},
		{"helm repo add without", "helm repo add x https://charts", nil, nil},
		{"podman login", "podman login -u ci -p $TOKEN reg", nil, []string{"podman login /run/containers/0/auth.json"}},
		{"skopeo login --authfile", "skopeo login --authfile /app/auth.json -u ci -p $TOKEN reg", nil, []string{"skopeo login /app/auth.json"}},
		{"buildah login REGISTRY_AUTH_FILE", "REGISTRY_AUTH_FILE=/tmp/eph/a.json buildah login -u ci -p $TOKEN reg", nil, []string{"buildah login /tmp/eph/a.json neutralised"}},
		{"npm config set", "npm config set //registry.npmjs.org/:_authToken $NPM_TOKEN", nil, []string{"npm config set /root/.npmrc"}},
		{"npm config set key=value", "npm config set //registry.npmjs.org/:_authToken=${NPM_TOKEN}", nil, []string{"npm config set /root/.npmrc"}},
		{"npm config set env reference", "npm config set //registry.npmjs.org/:_authToken '${NPM_TOKEN}'", nil, nil},
		{"npm config set registry", "npm config set registry https://registry.example.com/", nil, nil},
		{"npm config set, npmrc removed", "npm config set //r/:_authToken $NPM_TOKEN && npm ci && rm -f ~/.npmrc", nil, []string{"npm config set /root/.npmrc neutralised"}},
		{"npm config set --location project", "npm config set --location=project //r/:_authToken $NPM_TOKEN", nil, []string{"npm config set /app/.npmrc"}},
		{"npm config set -g", "npm config set -g //r/:_authToken $NPM_TOKEN", nil, []string{"npm config set /usr/local/etc/npmrc"}},
		{"npm config set --userconfig in the cache", "npm --userconfig /root/.cache/npmrc config set //r/:_authToken $NPM_TOKEN", nil, []string{"npm config set /root/.cache/npmrc [cache]"}},
		{"npm login", "npm login --registry https://r", nil, []string{"npm login /root/.npmrc"}},
		{"npm adduser", "npm adduser", nil, []string{"npm login /root/.npmrc"}},
		{"sudo -u npm config set", "sudo -u node npm config set //r/:_authToken x", nil, []string{"npm config set /home/node/.npmrc"}},
		{"yarn berry", "yarn config set npmAuthToken $NPM_TOKEN", nil, []string{"yarn config set /app/.yarnrc.yml"}},
		{"yarn berry -H", "yarn config set -H npmAuthToken $NPM_TOKEN", nil, []string{"yarn config set /root/.yarnrc.yml"}},
		{"yarn classic", "yarn config set //r/:_authToken $NPM_TOKEN", nil, []string{"yarn config set /root/.yarnrc"}},
		{"yarn npm login", "yarn npm login", nil, []string{"yarn npm login /root/.yarnrc.yml"}},
		{"pnpm config set", "pnpm config set //r/:_authToken $NPM_TOKEN", nil, []string{"pnpm config set /root/.config/pnpm/rc"}},
		{"git credential.helper store", "git config --global credential.helper store", nil, []string{"git config credential.helper store /root/.git-credentials"}},
		{"git credential.helper store, file removed", "git config --global credential.helper store && git clone https://x/r && rm -f ~/.git-credentials", nil, []string{"git config credential.helper store /root/.git-credentials neutralised"}},
		{"git credential.helper store --file", "git config --global credential.helper 'store --file=/tmp/eph/creds'", nil, []string{"git config credential.helper store /tmp/eph/creds neutralised"}},
		{"git credential.helper cache", "git config --global credential.helper 'cache --timeout=300'", nil, nil},
		{"git credential approve", "printf 'protocol=https\\nhost=x\\nusername=u\\npassword=%s\\n' $TOKEN | git credential approve", nil, []string{"git credential approve /root/.git-credentials"}},
		{"git insteadOf", `git config --global url."https://x-access-token:${TOKEN}@github.com/".insteadOf "https://github.com/"`, nil, []string{"git config url.insteadOf /root/.gitconfig"}},
		{"git insteadOf without credential", `git config --global url."https://github.com/".insteadOf git@github.com:`, nil, nil},
		{"git extraheader", `git config --global http.https://github.com/.extraheader "AUTHORIZATION: basic $TOKEN"`, nil, []string{"git config http.extraHeader /root/.gitconfig"}},
		{"git clone with a token", "git clone https://oauth2:$TOKEN@gitlab.com/o/repo.git", nil, []string{"git clone /app/repo/.git/config"}},
		{"git clone into a directory, .git removed", "git clone --depth 1 https://$TOKEN@github.com/o/r.git /src && rm -rf /src/.git", nil, []string{"git clone /src/.git/config neutralised"}},
		{"git clone -c", `git clone -c http.extraHeader="Authorization: Bearer $TOKEN" https://github.com/o/r.git`, nil, []string{"git clone /app/r/.git/config"}},
		{"git remote set-url", "git remote set-url origin https://u:$TOKEN@github.com/o/r.git", nil, []string{"git remote set-url /app/.git/config"}},
		{"git clone, URL reset", "git clone https://$TOKEN@github.com/o/r.git && cd r && git remote set-url origin https://github.com/o/r.git", nil, []string{"git clone /app/r/.git/config neutralised"}},
		{"git insteadOf unset", `git config --global url."https://x:${TOKEN}@github.com/".insteadOf https://github.com/ && go mod download && git config --global --unset url."https://x:${TOKEN}@github.com/".insteadOf`, nil, []string{"git config url.insteadOf /root/.gitconfig neutralised"}},
		{"git extraheader unset", "git config --global http.extraheader \"Authorization: Bearer $TOKEN\" && go mod download && git config --global --unset http.extraheader", nil, []string{"git config http.extraHeader /root/.gitconfig neutralised"}},
		{"docker logout keeps other writes", "echo $TOKEN > ~/.docker/config.json; docker logout", nil, nil},
		{"composer global", "composer config -g github-oauth.github.com $TOKEN", nil, []string{"composer config /root/.composer/auth.json"}},
		{"composer project", "composer config http-basic.repo.example.com u $TOKEN", nil, []string{"composer config /app/auth.json"}},
		{"COMPOSER_HOME", "composer config -g github-oauth.github.com $TOKEN", func(s *Spec) { s.Env = map[string]string{"COMPOSER_HOME": "/tmp/eph/composer"} }, []string{"composer config /tmp/eph/composer/auth.json neutralised"}},
		{"aws configure set", "aws configure set aws_secret_access_key $TOKEN", nil, []string{"aws configure set /root/.aws/credentials"}},
		{"aws configure set with profile", "aws configure set profile.ci.aws_access_key_id AKIA", nil, []string{"aws configure set /root/.aws/credentials"}},
		{"aws configure set region", "aws configure set region eu-west-1", nil, nil},
		{"aws configure", "aws configure < /run/secrets/t", nil, []string{"aws configure /root/.aws/credentials"}},
		{"gcloud activate-service-account", "gcloud auth activate-service-account --key-file=/run/secrets/t", nil, []string{"gcloud auth activate-service-account /root/.config/gcloud"}},
		{"gcloud configure-docker", "gcloud auth configure-docker europe-docker.pkg.dev", nil, []string{"gcloud auth configure-docker /root/.docker/config.json"}},
		{"gcloud CLOUDSDK_CONFIG", "CLOUDSDK_CONFIG=/tmp/eph/g gcloud auth login --cred-file=/run/secrets/t", nil, []string{"gcloud auth login /tmp/eph/g neutralised"}},
		{"az login", "az login --service-principal -u app -p $TOKEN --tenant t", nil, []string{"az login /root/.azure"}},
		{"pip config set", "pip config set global.index-url https://u:$TOKEN@pypi.example.com/simple", nil, []string{"pip config set /root/.config/pip/pip.conf"}},
		{"pip3 config set --global", "pip3 config --global set global.extra-index-url https://u:p@x/simple", nil, []string{"pip config set /etc/pip.conf"}},
		{"pip config set without credential", "pip config set global.index-url https://pypi.example.com/simple", nil, nil},
		{"poetry http-basic", "poetry config http-basic.private u $TOKEN", nil, []string{"poetry config /root/.config/pypoetry/auth.toml"}},
		{"poetry pypi-token", "poetry config pypi-token.pypi $TOKEN", nil, []string{"poetry config /root/.config/pypoetry/auth.toml"}},
		{"poetry other setting", "poetry config virtualenvs.create false", nil, nil},
		{"gem signin", "gem signin", nil, []string{"gem signin /root/.gem/credentials"}},
		{"gem sources with credentials", "gem sources --add https://u:$TOKEN@gems.example.com/", nil, []string{"gem sources --add /root/.gemrc"}},
		{"bundle config", "bundle config set --global rubygems.pkg.github.com u:$TOKEN", nil, []string{"bundle config /root/.bundle/config"}},
		{"bundle config --local", "bundle config set --local BUNDLE_GITHUB__COM x:$TOKEN", nil, []string{"bundle config /app/.bundle/config"}},
		{"bundle config path", "bundle config set --local path vendor/bundle", nil, nil},
		{"cargo login", "cargo login $TOKEN", nil, []string{"cargo login /root/.cargo/credentials.toml"}},
		{"gh auth login", "echo $TOKEN | gh auth login --with-token", nil, []string{"gh auth login /root/.config/gh/hosts.yml"}},
		{"kubectl set-credentials", "kubectl config set-credentials ci --token=$TOKEN", nil, []string{"kubectl config set-credentials /root/.kube/config"}},
		{"huggingface-cli login", "huggingface-cli login --token $TOKEN", nil, []string{"huggingface-cli login /root/.cache/huggingface/token [cache]"}},
		{"hf auth login HF_HOME", "HF_HOME=/opt/hf hf auth login --token $TOKEN", nil, []string{"hf auth login /opt/hf/token"}},
		{"terraform login", "terraform login app.terraform.io", nil, []string{"terraform login /root/.terraform.d/credentials.tfrc.json"}},
		{"vault login", "vault login $TOKEN", nil, []string{"vault login /root/.vault-token"}},
		{"vault login -no-store", "vault login -no-store $TOKEN", nil, nil},
		{"dotnet nuget add source", "dotnet nuget add source https://nuget.example.com/v3/index.json -n x -u u -p $TOKEN --store-password-in-clear-text", nil, []string{"dotnet nuget add source /root/.nuget/NuGet/NuGet.Config"}},
		{"mc alias set", "mc alias set s3 https://s3 AK $TOKEN", nil, []string{"mc alias set /root/.mc/config.json"}},
		{"in sh -c", `sh -c "docker login -u ci -p $TOKEN reg"`, nil, []string{"docker login /root/.docker/config.json"}},
		{"Spec.Home", "docker login -u ci -p $TOKEN reg", func(s *Spec) { s.Home = "/home/app" }, []string{"docker login /home/app/.docker/config.json"}},
		{"gosu", "gosu app docker login -u ci -p $TOKEN reg", nil, []string{"docker login /home/app/.docker/config.json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := baseSpec(tc.script)
			if tc.spec != nil {
				tc.spec(&spec)
			}
			r := analyze(t, spec)
			if got := storeStrings(r); !slices.Equal(got, tc.want) {
				t.Errorf("script:\n%s\nstores:\n  got  %q\n  want %q", tc.script, got, tc.want)
			}
		})
	}
}

// TestStoreLeaks checks that a store of secret-derived data is also a leak,
// with the store's position, and that neutralising the store removes both.
func TestStoreLeaks(t *testing.T) {
	r := analyze(t, baseSpec("echo $NPM_TOKEN | docker login --password-stdin -u ci reg"))
	if got, want := leakStrings(r), []string{"NPM_TOKEN -> /root/.docker/config.json (docker login)"}; !slices.Equal(got, want) {
		t.Fatalf("leaks: got %q, want %q", got, want)
	}
	if r.Leaks[0].Pos != r.Stores[0].Pos {
		t.Errorf("leak at %v, store at %v", r.Leaks[0].Pos, r.Stores[0].Pos)
	}
	if got, want := r.Stores[0].Secrets, []string{"NPM_TOKEN"}; !slices.Equal(got, want) {
		t.Errorf("store secrets: got %q, want %q", got, want)
	}

	r = analyze(t, baseSpec("echo $NPM_TOKEN | docker login --password-stdin -u ci reg\ndocker push reg/x\nrm -rf /root/.docker"))
	if len(r.Leaks) != 0 || !r.Stores[0].Neutralised {
		t.Errorf("neutralised store: leaks %q, stores %q", leakStrings(r), storeStrings(r))
	}
}

func TestPositions(t *testing.T) {
	cases := []struct {
		name   string
		spec   Spec
		want   Pos
		text   string
		leaks  int
		stores int
	}{
		{
			name:  "redirect",
			spec:  baseSpec("apt-get update && \\\n    echo $TOKEN > /app/out"),
			want:  Pos{Line: 2, Col: 17},
			text:  "echo $TOKEN > /app/out",
			leaks: 1,
		},
		{
			name:  "command",
			spec:  baseSpec("set -e\n  cp /run/secrets/t /app/t"),
			want:  Pos{Line: 2, Col: 3},
			text:  "cp /run/secrets/t /app/t",
			leaks: 1,
		},
		{
			name:  "single-quoted sh -c",
			spec:  baseSpec("true; sh -c 'echo $TOKEN > /app/out'"),
			want:  Pos{Line: 1, Col: 26},
			text:  "echo $TOKEN > /app/out",
			leaks: 1,
		},
		{
			name:  "multi-line sh -c",
			spec:  baseSpec("sh -c '\n  set -e\n  echo $TOKEN > /app/out\n'"),
			want:  Pos{Line: 3, Col: 15},
			text:  "echo $TOKEN > /app/out",
			leaks: 1,
		},
		{
			name:  "function body",
			spec:  baseSpec("w() {\n  cat /run/secrets/t >> /app/out\n}\nw"),
			want:  Pos{Line: 2, Col: 22},
			text:  "cat /run/secrets/t >> /app/out",
			leaks: 1,
		},
		{
			name:  "exec form script",
			spec:  Spec{Exec: []string{"/bin/sh", "-c", "echo $TOKEN > /app/out"}, SecretEnv: []string{"TOKEN"}},
			want:  Pos{Arg: 3, Line: 1, Col: 13},
			text:  "echo $TOKEN > /app/out",
			leaks: 1,
		},
		{
			name:  "exec form command",
			spec:  Spec{Exec: []string{"cp", "/run/secrets/t", "/app/t"}, SecretFiles: []string{"/run/secrets/t"}},
			want:  Pos{Arg: 1, Line: 1, Col: 1},
			text:  "cp /run/secrets/t /app/t",
			leaks: 1,
		},
		{
			name:   "store",
			spec:   baseSpec("cd /x\ndocker login -u u -p p reg"),
			want:   Pos{Line: 2, Col: 1},
			text:   "docker login -u u -p p reg",
			stores: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, tc.spec)
			if len(r.Leaks) != tc.leaks || len(r.Stores) != tc.stores {
				t.Fatalf("got %d leaks %q and %d stores, want %d and %d", len(r.Leaks), leakStrings(r), len(r.Stores), tc.leaks, tc.stores)
			}
			var pos Pos
			var text string
			if tc.leaks > 0 {
				pos, text = r.Leaks[0].Pos, r.Leaks[0].Text
			} else {
				pos, text = r.Stores[0].Pos, r.Stores[0].Text
			}
			if pos != tc.want || text != tc.text {
				t.Errorf("got %v %q, want %v %q", pos, text, tc.want, tc.text)
			}
		})
	}
}

func TestExecForm(t *testing.T) {
	cases := []struct {
		exec []string
		want []string
	}{
		{[]string{"sh", "-c", "cat /run/secrets/t > /app/out"}, []string{"/run/secrets/t -> /app/out (redirect)"}},
		{[]string{"/bin/bash", "-o", "pipefail", "-ec", "cat /run/secrets/t | tee /app/out"}, []string{"/run/secrets/t -> /app/out (tee)"}},
		{[]string{"cp", "/run/secrets/t", "/app/t"}, []string{"/run/secrets/t -> /app/t (cp)"}},
		{[]string{"cat", "/run/secrets/t"}, nil},
		{[]string{"printenv"}, nil},
		{[]string{"echo", "$TOKEN"}, nil}, // no shell, no expansion
		{[]string{"npm", "ci"}, nil},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.exec, " "), func(t *testing.T) {
			spec := baseSpec("")
			spec.Exec = tc.exec
			r := analyze(t, spec)
			if got := leakStrings(r); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseError(t *testing.T) {
	cases := []struct {
		spec Spec
		want Pos
	}{
		{Spec{Script: "echo ok\nif true; then echo"}, Pos{Line: 2, Col: 1}},
		{Spec{Script: "echo 'unterminated"}, Pos{Line: 1, Col: 6}},
		{Spec{Exec: []string{"sh", "-c", "echo )"}}, Pos{Arg: 3, Line: 1, Col: 6}},
		{Spec{Script: "echo a\necho b\x00"}, Pos{Line: 2, Col: 7}},
	}
	for _, tc := range cases {
		_, err := Analyze(tc.spec)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want a *ParseError", tc.spec.Script, err)
			continue
		}
		if pe.Pos != tc.want {
			t.Errorf("%q: error at %v (%v), want %v", tc.spec.Script, pe.Pos, err, tc.want)
		}
	}
	// A heredoc body for another interpreter is not a shell script.
	r0 := analyze(t, baseSpec("#!/usr/bin/env python3\nimport os\nfoo(\n"))
	if len(r0.Unsupported) != 1 || !strings.Contains(r0.Unsupported[0].Msg, "python3") {
		t.Errorf("unsupported: %q", noteStrings(r0.Unsupported))
	}
	if r0 := analyze(t, baseSpec("#!/bin/bash\necho $TOKEN > /app/out\n")); len(r0.Leaks) != 1 {
		t.Errorf("#!/bin/bash script: leaks %q", leakStrings(r0))
	}
	// A nested script that does not parse is a limit, not an error.
	r := analyze(t, baseSpec(`sh -c 'echo )'`))
	if len(r.Unsupported) != 1 || !strings.Contains(r.Unsupported[0].Msg, "does not parse") {
		t.Errorf("unsupported: %q", noteStrings(r.Unsupported))
	}
}

func TestCreatedRemoved(t *testing.T) {
	script := `set -eux
mkdir -p /opt/app/bin
touch /opt/app/.keep
cp build/app /opt/app/bin/
curl -fsSL -o /tmp/pkg.tgz https://example.com/pkg.tgz
tar -xzf /tmp/pkg.tgz -C /opt
T=$(mktemp)
echo hi > "$T"
ln -s /opt/app/bin/app /usr/local/bin/app
git clone https://github.com/o/r.git /src/r
rm -rf /tmp/pkg.tgz /var/lib/apt/lists/*
unlink "$T"
shred -u /opt/app/.keep
find /opt -name '*.pyc' -delete
mv /opt/app/bin/app /opt/app/bin/app2
rmdir /opt/empty
`
	r := analyze(t, baseSpec(script))
	wantCreated := []string{
		"mkdir /opt/app/bin",
		"touch /opt/app/.keep",
		"cp /opt/app/bin/app",
		"curl -o /tmp/pkg.tgz",
		"tar -x /opt",
		"mktemp /tmp/tmp.XXXXXXXXXX",
		"redirect /tmp/tmp.XXXXXXXXXX",
		"ln -s /usr/local/bin/app",
		"git clone /src/r",
		"mv /opt/app/bin/app2",
	}
	if got := eventStrings(r.Created); !slices.Equal(got, wantCreated) {
		t.Errorf("created:\n  got  %q\n  want %q", got, wantCreated)
	}
	wantRemoved := []string{
		"rm /tmp/pkg.tgz",
		"rm /var/lib/apt/lists/*",
		"unlink /tmp/tmp.XXXXXXXXXX",
		"shred -u /opt/app/.keep",
		"find -delete /opt",
		"mv /opt/app/bin/app",
		"rmdir /opt/empty",
	}
	if got := eventStrings(r.Removed); !slices.Equal(got, wantRemoved) {
		t.Errorf("removed:\n  got  %q\n  want %q", got, wantRemoved)
	}
}

func TestUnsupported(t *testing.T) {
	cases := []struct {
		script string
		want   string // substring of the only Unsupported message; "" for none
	}{
		{`eval "$CMD"`, "eval of text built at run time"},
		{`eval "echo $TOKEN > /app/out"`, "eval of text built at run time"},
		{`eval 'echo hi'`, ""},
		{`sh -c "$SCRIPT"`, "shell script built at run time"},
		{`echo ${!ref} > /app/out`, "indirect expansion"},
		{`env -S 'a b' x`, "env -S"},
		{`trap "$HANDLER" EXIT`, "EXIT trap built at run time"},
		{`f() { f; }; f`, "function calls nested too deeply"},
		{strings.Repeat("true\n", maxSteps+10), "analysis stopped"},
	}
	for _, tc := range cases {
		r := analyze(t, baseSpec(tc.script))
		got := noteStrings(r.Unsupported)
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%.40q: unexpected %q", tc.script, got)
		case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
			t.Errorf("%.40q: got %q, want one with %q", tc.script, got, tc.want)
		}
	}
}

func TestHomeNote(t *testing.T) {
	r := analyze(t, baseSpec("echo $TOKEN > ~/.npmrc; cat ~/.npmrc > ~/x"))
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0].Msg, "/root") || r.Notes[0].Pos != (Pos{Line: 1, Col: 1}) {
		t.Errorf("notes: %+v", r.Notes)
	}
	spec := baseSpec("echo $TOKEN > ~/.npmrc")
	spec.Home = "/root"
	if r := analyze(t, spec); len(r.Notes) != 0 {
		t.Errorf("notes with Spec.Home: %+v", r.Notes)
	}
	if r := analyze(t, baseSpec("echo $TOKEN > /app/x")); len(r.Notes) != 0 {
		t.Errorf("notes without ~: %+v", r.Notes)
	}
}

// TestNoSecretValues: even when the caller knows a secret's value (an ARG
// default), it appears nowhere in the result.
func TestNoSecretValues(t *testing.T) {
	const value = "s3cr3t-v4lue"
	spec := baseSpec(`echo "$TOKEN" > /app/out; docker login -p "$TOKEN" r; env > /app/env; sh -c "echo $TOKEN > /app/b"; eval "echo $TOKEN"`)
	spec.Env = map[string]string{"TOKEN": value, "OTHER": "x"}
	r := analyze(t, spec)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), value) {
		t.Errorf("result contains the secret value: %s", b)
	}
	if len(r.Leaks) == 0 {
		t.Error("no leaks found")
	}
}

func TestMoreThan64Secrets(t *testing.T) {
	spec := Spec{Script: "cat /run/secrets/s69 > /app/out"}
	for i := range 70 {
		spec.SecretFiles = append(spec.SecretFiles, fmt.Sprintf("/run/secrets/s%d", i))
	}
	r := analyze(t, spec)
	if !slices.ContainsFunc(r.Leaks, func(l Leak) bool { return l.Secret == "/run/secrets/s69" }) {
		t.Errorf("leaks: %q", leakStrings(r))
	}
	if len(r.Unsupported) != 1 {
		t.Errorf("unsupported: %q", noteStrings(r.Unsupported))
	}
}
