package shellflow

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Spec describes one RUN instruction.
type Spec struct {
	// Script is the shell body exactly as the RUN gives it: the shell-form
	// text or a heredoc body. A heredoc body whose #! line names another
	// interpreter (python3, node) is not analysed.
	Script string
	// Exec is set instead of Script for an exec-form RUN. ["sh", "-c", "…"]
	// is analysed as a script; anything else as one command.
	Exec []string

	// SecretFiles are absolute paths whose content is secret: the targets
	// of secret mounts (by default /run/secrets/<id>).
	SecretFiles []string
	// SecretEnv names the variables that hold a secret: secret mounts with
	// env=, credential ARGs.
	SecretEnv []string
	// Ephemeral lists directories and files whose writes do not reach the
	// layer: tmpfs and secret mount targets, bind mounts.
	Ephemeral []string
	// Cache lists cache mount targets. Writes there do not reach the image
	// but persist across builds; leaks into them are reported with Cache set.
	Cache []string
	// Workdir resolves relative paths; "/" when empty.
	Workdir string

	// Env holds the values of the non-secret variables the RUN sees (ENV,
	// ARG); they resolve paths such as $APP_DIR/config.
	Env map[string]string
	// Home is the home directory of the RUN's user, used for ~ and $HOME
	// unless Env sets HOME. When both are empty /root is assumed and a Note
	// says so where it mattered.
	Home string

	// Stores are credential-storing commands besides the built-in table (a
	// build policy's storeCommands).
	Stores []StoreCommand
}

// StoreCommand is a credential-storing command that is not in the built-in
// table.
type StoreCommand struct {
	// Words are the command name and the subcommand words that select it:
	// ["acmectl", "login"].
	Words []string
	// File is the file it writes: absolute, or "~/…" under the home
	// directory of the RUN's user.
	File string
	// ValuedOptions are the options that take a value, so that their values
	// are not taken for subcommand words.
	ValuedOptions []string
}

// Pos is a position in Spec.Script, or in one element of Spec.Exec.
type Pos struct {
	Line, Col int // 1-based; Col counts bytes
	// Arg is 0 for Spec.Script. For an exec-form RUN it is the 1-based index
	// of the Spec.Exec element that Line and Col are in.
	Arg int
}

func (p Pos) String() string {
	if p.Arg > 0 {
		return fmt.Sprintf("arg %d:%d:%d", p.Arg, p.Line, p.Col)
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

func (p Pos) compare(q Pos) int {
	return cmp.Or(cmp.Compare(p.Arg, q.Arg), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Col, q.Col))
}

// Leak is secret-derived data written to a file that outlives the RUN.
type Leak struct {
	Secret string // the secret's file path or variable name, never its value
	Dest   string // the file written; unknown parts are shown as the shell wrote them ($DIR)
	Cache  bool   // Dest is in a cache mount: not in the image, but kept across builds
	Pos    Pos    // the redirection or command that writes
	How    string // "redirect", "cp", "tee", "sed -i", "environment dump", a Store's Tool, …
	Text   string // the command, for messages (one line, maybe shortened)
}

// PathEvent is a file or directory the RUN creates, writes or removes.
type PathEvent struct {
	Path      string
	Pos       Pos
	How       string // "redirect", "mkdir", "cp", "rm", "shred -u", …
	Text      string
	Ephemeral bool // Created only: the path is in an ephemeral mount, /dev, /proc or /sys
	Cache     bool // Created only: the path is in a cache mount
}

// Store is a command that stores a credential in a file, such as docker
// login writing /root/.docker/config.json. A Store is reported whether or
// not its arguments derive from a secret: keeping a credential in the image
// is the problem. When they do, the write is also reported as a Leak with
// How set to Tool and the same Pos.
type Store struct {
	Tool string // "docker login", "npm config set", …
	Pos  Pos
	Path string // the file or directory written
	// Neutralised is set when the stored credential does not reach the
	// layer: Path is in an ephemeral mount, or it is removed (or the tool
	// logs out) later on every path through the RUN.
	Neutralised bool
	Cache       bool     // Path is in a cache mount
	Secrets     []string // the secrets (paths, variable names) its input derives from
	Text        string
}

// Note is a position with an explanation: an assumption the analysis made,
// or a construct it could not analyse.
type Note struct {
	Pos  Pos
	Msg  string
	Text string
}

// Result is what Analyze found in one RUN.
type Result struct {
	Leaks   []Leak
	Created []PathEvent
	Removed []PathEvent
	Stores  []Store
	// Unsupported lists constructs that were not analysed, such as eval of
	// text built at run time. Facts depending on them may be missing.
	Unsupported []Note
	// Notes lists assumptions that shaped the result, such as ~ meaning
	// /root.
	Notes []Note
}

// ParseError is a syntax error in the RUN body.
type ParseError struct {
	Pos Pos
	Msg string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// Analyze runs the analysis on one RUN body. The only error it returns is a
// *ParseError.
func Analyze(spec Spec) (*Result, error) {
	var z Analyzer
	return z.Analyze(spec)
}

// An Analyzer analyses the RUN bodies of a Dockerfile one after another and
// reuses its shell parsers and working memory between them, which Analyze
// allocates for every body. The zero value is ready to use. An Analyzer must
// not be used by several goroutines at once.
type Analyzer struct {
	bash, posix *syntax.Parser // created on first use

	// The state of the analysis in progress and the maps of it that do not
	// reach its Result, reused by the next one.
	a    analyzer
	dirs map[string]bool
	vars map[string]variable
}

// Analyze is like the package's Analyze.
func (z *Analyzer) Analyze(spec Spec) (*Result, error) {
	// The analysis marks unknown text with NUL bytes (see analyzer.sym); a
	// shell cannot hold NUL bytes in its text anyway.
	if i := strings.IndexByte(spec.Script, 0); i >= 0 {
		return nil, &ParseError{Pos: offsetPos(spec.Script, i, 0), Msg: "NUL byte in script"}
	}
	for n, s := range spec.Exec {
		if i := strings.IndexByte(s, 0); i >= 0 {
			return nil, &ParseError{Pos: offsetPos(s, i, n+1), Msg: "NUL byte in argument"}
		}
	}
	spec = sanitize(spec)
	a := newAnalyzer(&spec, z)
	st := a.initialState()
	if interp := shebang(spec.Script); interp != "" && spec.Exec == nil {
		// RUN <<EOF with #!/usr/bin/env python3: not a shell script.
		line, _, _ := strings.Cut(spec.Script, "\n")
		a.unsupportedAt(fact{pos: Pos{Line: 1, Col: 1}, text: snippet{s: shorten(line)}}, "script for "+interp+", not a shell: not analysed")
		return a.result(), nil
	}
	if spec.Exec == nil {
		u := &unit{src: spec.Script, base: Pos{Line: 1, Col: 1}}
		f, err := a.parse(spec.Script)
		if err != nil {
			return nil, parseError(u, err)
		}
		a.top(st, u, f.Stmts, nil)
		return a.result(), nil
	}
	args := make([]arg, len(spec.Exec))
	for i, s := range spec.Exec {
		args[i] = arg{val: val{s: s}, pos: Pos{Line: 1, Col: 1, Arg: i + 1}}
	}
	if i := shellScriptArg(args); i >= 0 {
		// Parse here so that a syntax error in the script of an exec-form
		// shell is an error, as it is for a shell-form RUN.
		u := &unit{src: spec.Exec[i], base: args[i].pos}
		if _, err := a.parse(spec.Exec[i]); err != nil {
			return nil, parseError(u, err)
		}
	}
	c := &call{pos: args[0].pos, text: snippet{s: shorten(strings.Join(spec.Exec, " "))}, args: args}
	a.top(st, nil, nil, c)
	return a.result(), nil
}

func (a *analyzer) parse(src string) (*syntax.File, error) {
	z := a.reuse
	if z.bash == nil {
		z.bash = syntax.NewParser(syntax.Variant(syntax.LangBash))
	}
	f, err := z.bash.Parse(strings.NewReader(src), "")
	if err == nil {
		return f, nil
	}
	// The default shell of a RUN is /bin/sh; a few POSIX scripts are not
	// valid bash.
	if z.posix == nil {
		z.posix = syntax.NewParser(syntax.Variant(syntax.LangPOSIX))
	}
	if f, err2 := z.posix.Parse(strings.NewReader(src), ""); err2 == nil {
		return f, nil
	}
	return nil, err
}

func parseError(u *unit, err error) error {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Pos: u.pos(pe.Pos), Msg: pe.Text}
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		msg := strings.TrimPrefix(le.Error(), le.Pos.String()+": ")
		return &ParseError{Pos: u.pos(le.Pos), Msg: msg}
	}
	return &ParseError{Pos: u.base, Msg: err.Error()}
}

// result turns what the analysis collected into a Result.
func (a *analyzer) result() *Result {
	r := &Result{
		Created:     a.created,
		Removed:     a.removed,
		Unsupported: a.unsupported,
		Notes:       a.notes,
	}
	var alive map[int]bool // the stores still pending at the end; nil when nothing is
	type leakKey struct {
		secret, dest, how string
		pos               Pos
	}
	var seen map[leakKey]bool
	if fin := a.final; fin != nil && !fin.dead && len(fin.pending) > 0 {
		alive, seen = make(map[int]bool), make(map[leakKey]bool)
		for k, w := range fin.pending {
			if k.store > 0 {
				alive[k.store-1] = true
				continue
			}
			for _, name := range a.names(w.t) {
				lk := leakKey{name, w.dest, k.how, k.pos}
				if seen[lk] {
					continue
				}
				seen[lk] = true
				r.Leaks = append(r.Leaks, Leak{Secret: name, Dest: w.dest, Cache: w.cache, Pos: k.pos, How: k.how, Text: w.text})
			}
		}
	}
	slices.SortFunc(r.Leaks, func(x, y Leak) int {
		return cmp.Or(x.Pos.compare(y.Pos), strings.Compare(x.Dest, y.Dest), strings.Compare(x.Secret, y.Secret), strings.Compare(x.How, y.How))
	})
	for i, s := range a.stores {
		s.Neutralised = !alive[i]
		r.Stores = append(r.Stores, *s)
	}
	return r
}

// shebang returns the interpreter of a script that starts with a #! line
// naming something other than a POSIX-like shell, or "".
func shebang(script string) string {
	line, ok := strings.CutPrefix(script, "#!")
	if !ok {
		return ""
	}
	line, _, _ = strings.Cut(line, "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	interp := path.Base(fields[0])
	if interp == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") && !strings.Contains(f, "=") {
				interp = path.Base(f)
				break
			}
		}
	}
	switch interp {
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", "env":
		return ""
	}
	return interp
}

// offsetPos returns the position of byte i of s.
func offsetPos(s string, i, arg int) Pos {
	line := 1 + strings.Count(s[:i], "\n")
	return Pos{Line: line, Col: i - strings.LastIndexByte(s[:i], '\n'), Arg: arg}
}

// sanitize drops NUL bytes from the names and values of a Spec.
func sanitize(spec Spec) Spec {
	clean := func(s string) string { return strings.ReplaceAll(s, "\x00", "") }
	cleanAll := func(list []string) []string {
		if !slices.ContainsFunc(list, func(s string) bool { return strings.IndexByte(s, 0) >= 0 }) {
			return list
		}
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = clean(s)
		}
		return out
	}
	spec.SecretFiles = cleanAll(spec.SecretFiles)
	spec.SecretEnv = cleanAll(spec.SecretEnv)
	spec.Ephemeral = cleanAll(spec.Ephemeral)
	spec.Cache = cleanAll(spec.Cache)
	spec.Workdir, spec.Home = clean(spec.Workdir), clean(spec.Home)
	for k, v := range spec.Env {
		if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
			env := make(map[string]string, len(spec.Env))
			for k, v := range spec.Env {
				env[clean(k)] = clean(v)
			}
			spec.Env = env
			break
		}
	}
	return spec
}

// shorten makes command text fit a one-line message.
func shorten(s string) string {
	s = strings.ReplaceAll(s, "\\\n", " ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	s = strings.Join(strings.Fields(s), " ")
	const max = 120
	if len(s) > max {
		i := max
		for i > 0 && s[i]&0xC0 == 0x80 { // do not cut a UTF-8 sequence
			i--
		}
		s = s[:i] + "…"
	}
	return s
}

// cleanAbs cleans a path given in the Spec and makes it absolute.
func cleanAbs(p, dir string) string {
	if p == "" {
		return ""
	}
	if !strings.HasPrefix(p, "/") {
		p = dir + "/" + p
	}
	return path.Clean(p)
}
