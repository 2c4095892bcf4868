// Package rulestest runs rules over testdata Dockerfiles that say in comments what must be found, in the
// manner of golang.org/x/tools/go/analysis/analysistest.
//
// A comment line
//
//	# want "regexp"
//
// expects a finding on the next line that is not itself a want comment, whose message matches the
// regular expression. Inside "..." backslashes belong to the expression (\( is a literal parenthesis)
// and \" is a quote; `...` works too. Several quoted expressions on one line, or several want lines,
// expect several findings; a severity word before an expression also checks the finding's severity:
//
//	# want warning "may copy"
//
// Every finding must be wanted and every want must be found; no finding may sit on a comment line, and
// no message may contain a credential of a known format. Because Dockerfile comments inside a
// continued instruction are dropped by the parser, a want comment can also stand directly above one
// continuation line of a multi-line RUN.
//
// A directory named like the Dockerfile with the suffix ".context" instead of ".Dockerfile"
// (npmrc.Dockerfile → npmrc.context/) is the build context of that Dockerfile, .dockerignore included.
// A file with the suffix ".build-contexts" holds its named build contexts, a NAME=VALUE line each as
// `--build-context` takes them (blank lines and # comments are skipped).
package rulestest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

// Run checks rule against every *.Dockerfile in dir.
func Run(t *testing.T, rule *rules.Rule, dir string) {
	t.Helper()
	if rule == nil {
		t.Fatal("rulestest.Run: nil rule")
	}
	RunRules(t, []*rules.Rule{rule}, dir)
}

// RunRules checks rs against every *.Dockerfile in dir.
func RunRules(t *testing.T, rs []*rules.Rule, dir string) {
	t.Helper()
	RunConfig(t, rs, dir, nil)
}

// RunConfig checks rs, configured by cfg as a build policy would, against every *.Dockerfile in dir.
func RunConfig(t *testing.T, rs []*rules.Rule, dir string, cfg *rules.Config) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.Dockerfile in %s", dir)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			check(t, rs, file, cfg)
		})
	}
}

// Check runs rs on one Dockerfile and compares the findings with its want comments.
func Check(t *testing.T, rs []*rules.Rule, file string) {
	t.Helper()
	check(t, rs, file, nil)
}

func check(t *testing.T, rs []*rules.Rule, file string, cfg *rules.Config) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := model.Parse(filepath.Base(file), data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	opts := rules.Options{Rules: rs, Config: cfg}
	if dir := strings.TrimSuffix(file, ".Dockerfile") + ".context"; isDir(dir) {
		opts.Context, err = rules.DirContext(dir)
		if err != nil {
			t.Fatal(err)
		}
	}
	if opts.NamedContexts, err = namedContexts(strings.TrimSuffix(file, ".Dockerfile") + ".build-contexts"); err != nil {
		t.Fatal(err)
	}
	wants, err := parseWants(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	heredocLines := heredocLines(f)
	for _, fd := range rules.Run(f, opts) {
		line := fd.Range.Start.Line
		pos := fmt.Sprintf("%s:%d", file, line)
		if l := strings.TrimSpace(f.Line(line)); strings.HasPrefix(l, "#") && !heredocLines[line] {
			t.Errorf("%s: finding on a comment line: %s", pos, fd)
		}
		if ms := credential.Find(fd.Message); len(ms) > 0 {
			t.Errorf("%s: message reveals a %s: %s", pos, ms[0].Pattern.Name, fd.Message)
		}
		if !claim(wants, fd) {
			t.Errorf("%s: unexpected finding: %s %s: %s", pos, fd.Rule.ID, fd.Severity, fd.Message)
		}
	}
	for _, w := range wants {
		if !w.found {
			sev := ""
			if w.severity != 0 {
				sev = w.severity.String() + " "
			}
			t.Errorf("%s:%d: no %sfinding matching %q", file, w.line, sev, w.re)
		}
	}
}

// namedContexts reads a .build-contexts file; a missing file means none.
func namedContexts(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("%s:%d: want NAME=VALUE", file, i+1)
		}
		m[name] = value
	}
	return m, nil
}

type want struct {
	line     int
	severity rules.Severity
	re       *regexp.Regexp
	found    bool
}

func claim(wants []*want, fd rules.Finding) bool {
	for _, w := range wants {
		if !w.found && w.line == fd.Range.Start.Line && w.re.MatchString(fd.Message) &&
			(w.severity == 0 || w.severity == fd.Severity) {
			w.found = true
			return true
		}
	}
	return false
}

var wantLine = regexp.MustCompile(`^\s*#\s*want\s+(.*)$`)

func parseWants(f *model.File) ([]*want, error) {
	var wants, pending []*want
	for n := 1; n <= f.NumLines(); n++ {
		m := wantLine.FindStringSubmatch(f.Line(n))
		if m == nil {
			for _, w := range pending {
				w.line = n
			}
			wants = append(wants, pending...)
			pending = nil
			continue
		}
		ws, err := parseExpectations(m[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		pending = append(pending, ws...)
	}
	if len(pending) > 0 {
		return nil, fmt.Errorf("want comment at the end of the file")
	}
	return wants, nil
}

// parseExpectations reads `[severity] "re" [severity] "re" ...`.
func parseExpectations(s string) ([]*want, error) {
	var out []*want
	var sev rules.Severity
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] != '"' && s[0] != '`' {
			word, rest, _ := strings.Cut(s, " ")
			switch word {
			case "error":
				sev = rules.Error
			case "warning":
				sev = rules.Warning
			case "info":
				sev = rules.Info
			default:
				return nil, fmt.Errorf("want: unexpected %q", word)
			}
			s = rest
			continue
		}
		pattern, rest, err := cutQuoted(s)
		if err != nil {
			return nil, err
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("want: %w", err)
		}
		out = append(out, &want{severity: sev, re: re})
		sev = 0
		s = rest
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("want: no expectation")
	}
	return out, nil
}

// cutQuoted reads a regular expression quoted with "..." (backslashes are kept for the expression; \"
// is a quote) or `...` from the start of s.
func cutQuoted(s string) (pattern, rest string, err error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == q:
			return b.String(), s[i+1:], nil
		case q == '"' && s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", fmt.Errorf("want: unterminated %c", q)
}

func heredocLines(f *model.File) map[int]bool {
	lines := map[int]bool{}
	for _, in := range f.Instructions {
		for _, h := range in.Heredocs {
			for n := h.Range.Start.Line; n <= h.Range.End.Line; n++ {
				lines[n] = true
			}
		}
	}
	return lines
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
