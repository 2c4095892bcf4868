package shellflow

import (
	"path"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// val is the abstract value of a word or variable.
type val struct {
	s    string // the text, with symbols for what is not known statically
	t    taint  // the secrets the text derives from
	glob bool   // s holds active pattern characters (unquoted *, ?, [)
	pat  string // when glob: s as a path.Match pattern, quoted metacharacters escaped
}

// arg is one field of a command line.
type arg struct {
	val
	w   *syntax.Word // the word it comes from; nil in exec form
	pos Pos
}

type wordBuilder struct {
	s     strings.Builder
	pat   strings.Builder // only when diverged: s as a pattern
	t     taint
	glob  bool
	split bool // has an unquoted expansion: the result is subject to field splitting
	lit   bool // has literal text
	// diverged is set once the pattern differs from s, because of quoted
	// pattern characters; until then pat is not written.
	diverged bool
}

const patternChars = "*?["

// both appends s to the text and p to the pattern.
func (b *wordBuilder) both(s, p string) {
	if !b.diverged && s != p {
		b.diverged = true
		b.pat.WriteString(b.s.String())
	}
	b.s.WriteString(s)
	if b.diverged {
		b.pat.WriteString(p)
	}
}

// text appends literal text; active says whether pattern characters in it
// keep their meaning.
func (b *wordBuilder) text(s string, active bool) {
	if s == "" {
		return
	}
	b.lit = true
	if active {
		b.glob = b.glob || strings.ContainsAny(s, patternChars)
		b.both(s, s)
		return
	}
	b.both(s, escapePattern(s))
}

// add appends the value of an expansion.
func (b *wordBuilder) add(v val, quoted bool) {
	b.t |= v.t
	switch {
	case !quoted && v.glob:
		b.glob = true
		b.both(v.s, v.pat)
	case !quoted && strings.ContainsAny(v.s, patternChars):
		b.glob = true
		b.both(v.s, v.s)
	default:
		b.both(v.s, escapePattern(v.s))
	}
	if !quoted {
		b.split = true
	}
}

func (b *wordBuilder) val() val {
	v := val{s: b.s.String(), t: b.t, glob: b.glob}
	if b.glob {
		v.pat = v.s
		if b.diverged {
			v.pat = b.pat.String()
		}
	}
	return v
}

// plainLit returns the value of a word that is one literal needing no
// expansion, the common case.
func plainLit(w *syntax.Word) (string, bool) {
	if len(w.Parts) != 1 {
		return "", false
	}
	l, ok := w.Parts[0].(*syntax.Lit)
	if !ok || strings.ContainsAny(l.Value, "\\*?[{") || strings.HasPrefix(l.Value, "~") {
		return "", false
	}
	return l.Value, true
}

func escapePattern(s string) string {
	if !strings.ContainsAny(s, patternChars+"\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(patternChars+"\\", s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// word evaluates a word as the shell would, without field splitting.
func (a *analyzer) word(st *state, u *unit, w *syntax.Word) val {
	if w == nil {
		return val{}
	}
	if s, ok := plainLit(w); ok {
		return val{s: s}
	}
	var b wordBuilder
	a.parts(st, u, w.Parts, false, &b)
	return b.val()
}

// fields evaluates the words of a command line: brace expansion, expansions
// and, for unquoted expansions with known text, field splitting.
func (a *analyzer) fields(st *state, u *unit, words []*syntax.Word) []arg {
	out := make([]arg, 0, len(words))
	for _, w := range words {
		if bw := braces(w); bw != nil {
			n := 0
			for ew, err := range expand.BracesSeq(nil, bw) {
				if err != nil || n >= maxFields {
					break
				}
				n++
				out = a.field(st, u, ew, w, out)
			}
			continue
		}
		out = a.field(st, u, w, w, out)
	}
	return out
}

func (a *analyzer) field(st *state, u *unit, w, orig *syntax.Word, out []arg) []arg {
	if s, ok := plainLit(w); ok {
		return append(out, arg{val: val{s: s}, w: orig, pos: u.pos(orig.Pos())})
	}
	var b wordBuilder
	a.parts(st, u, w.Parts, false, &b)
	v := b.val()
	pos := u.pos(orig.Pos())
	if b.split && known(v.s) && strings.ContainsAny(v.s, " \t\n") {
		for _, f := range strings.Fields(v.s) {
			fv := val{s: f, t: v.t}
			if strings.ContainsAny(f, patternChars) {
				fv.glob, fv.pat = true, f
			}
			out = append(out, arg{val: fv, w: orig, pos: pos})
		}
		return out
	}
	return append(out, arg{val: v, w: orig, pos: pos})
}

// braces returns a copy of w with its brace expansions split out, or nil
// if it has none. The syntax tree itself is left alone: the words of a
// split word can be empty, which its Pos and End methods do not expect.
func braces(w *syntax.Word) *syntax.Word {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && strings.Contains(l.Value, "{") {
			c := &syntax.Word{Parts: w.Parts}
			if syntax.SplitBraces(c) {
				return c
			}
			return nil
		}
	}
	return nil
}

func (a *analyzer) parts(st *state, u *unit, parts []syntax.WordPart, quoted bool, b *wordBuilder) {
	for i, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			v := p.Value
			if quoted {
				b.text(unescapeQuoted(v), false)
				continue
			}
			if i == 0 && strings.HasPrefix(v, "~") {
				v = a.tilde(st, v)
			}
			unescapeBare(v, b)
		case *syntax.SglQuoted:
			b.text(p.Value, false)
		case *syntax.DblQuoted:
			b.lit = true
			a.parts(st, u, p.Parts, true, b)
		case *syntax.ParamExp:
			b.add(a.param(st, u, p), quoted)
		case *syntax.CmdSubst:
			v := a.cmdSubst(st, u, p)
			if !quoted {
				b.split = true
			}
			b.t |= v.t
			b.both(v.s, escapePattern(v.s))
		case *syntax.ArithmExp:
			t := a.arithm(st, u, p.X)
			b.add(val{s: a.sym("$((…))"), t: t}, true)
		case *syntax.ProcSubst:
			b.add(a.procSubst(st, u, p), true)
		case *syntax.ExtGlob:
			b.text(p.Op.String()+p.Pattern.Value+")", true)
		case *syntax.BraceExp:
			// Only reached in words that are not command fields (such as
			// redirection targets), where bash does not expand braces.
			var t taint
			for _, e := range p.Elems {
				t |= a.word(st, u, e).t
			}
			b.add(val{s: a.sym("{…}"), t: t}, true)
		}
	}
}

// tilde expands a leading ~ or ~user.
func (a *analyzer) tilde(st *state, s string) string {
	user, rest, _ := strings.Cut(s[1:], "/")
	if rest != "" || strings.Contains(s, "/") {
		rest = "/" + rest
	}
	switch user {
	case "":
		return a.homeDir(st) + rest
	case "root":
		return "/root" + rest
	}
	if !syntax.ValidName(strings.ReplaceAll(user, "-", "_")) {
		return s
	}
	return "/home/" + user + rest
}

// unescapeBare appends an unquoted literal, removing backslash quoting.
func unescapeBare(s string, b *wordBuilder) {
	if !strings.Contains(s, "\\") {
		b.text(s, true)
		return
	}
	for s != "" {
		i := strings.IndexByte(s, '\\')
		if i < 0 {
			b.text(s, true)
			return
		}
		b.text(s[:i], true)
		if i+1 == len(s) {
			return
		}
		if s[i+1] != '\n' {
			b.text(s[i+1:i+2], false)
		}
		s = s[i+2:]
	}
}

// unescapeQuoted removes the backslashes that quote characters inside
// double quotes.
func unescapeQuoted(s string) string { return unescape(s, "$`\"\\") }

// unescape removes the backslashes that quote one of the characters in
// quotable, and the backslash-newline pairs (line continuations).
func unescape(s, quotable string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch {
			case strings.IndexByte(quotable, s[i+1]) >= 0:
				b.WriteByte(s[i+1])
				i++
				continue
			case s[i+1] == '\n':
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lookup returns the value of a variable and whether it is known to be set.
func (a *analyzer) lookup(st *state, name string) (val, bool) {
	if v, ok := st.vars[name]; ok {
		return v.val, true
	}
	switch name {
	case "HOME":
		return val{s: a.homeDir(st)}, true
	case "PWD":
		return val{s: st.cwd}, true
	case "0":
		return val{s: "sh"}, true
	case "@", "*":
		var t taint
		for _, v := range st.args {
			t |= v.t
		}
		return val{s: a.sym("$" + name), t: t}, len(st.args) > 0
	case "#", "?", "$", "!", "-", "RANDOM", "LINENO", "SECONDS", "UID", "EUID", "PPID":
		return val{s: a.sym("$" + name)}, true
	}
	if n, err := strconv.Atoi(name); err == nil && n > 0 {
		if n <= len(st.args) {
			return st.args[n-1], true
		}
		return val{s: a.varSym(name)}, false
	}
	return val{s: a.varSym(name), t: st.wild}, false
}

func (a *analyzer) param(st *state, u *unit, pe *syntax.ParamExp) val {
	if pe.Param == nil {
		return val{s: a.sym("${…}")}
	}
	name := pe.Param.Value
	if pe.Excl {
		if pe.Names != 0 {
			return val{s: a.sym("${!" + name + "*}")} // variable names, not values
		}
		// ${!ref}: the value of the variable named by ref.
		a.unsupportedAt(fact{pos: u.pos(pe.Pos()), text: a.cur.text}, "indirect expansion ${!"+name+"}: taken to be derived from every variable")
		t := st.wild
		for _, v := range st.vars {
			t |= v.t
		}
		return val{s: a.sym("${!" + name + "}"), t: t}
	}
	if pe.Length || pe.Width || pe.IsSet {
		return val{s: a.sym("${#" + name + "}")}
	}
	v, set := a.lookup(st, name)
	if pe.Index != nil {
		a.arithm(st, u, pe.Index)
		v.s = a.sym("${" + name + "[…]}")
	}
	if pe.Slice != nil {
		a.arithm(st, u, pe.Slice.Offset)
		a.arithm(st, u, pe.Slice.Length)
		return val{s: a.sym("${" + name + ":…}"), t: v.t}
	}
	if pe.Repl != nil {
		t := v.t | a.word(st, u, pe.Repl.Orig).t | a.word(st, u, pe.Repl.With).t
		return val{s: a.sym("${" + name + "/…}"), t: t}
	}
	if pe.Exp == nil {
		return v
	}
	w := a.word(st, u, pe.Exp.Word)
	switch pe.Exp.Op {
	case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull:
		out := val{s: a.sym("${" + name + ":-…}"), t: v.t | w.t}
		switch {
		case set && v.s != "":
			out.s = v.s
		case set && pe.Exp.Op == syntax.DefaultUnset, set && pe.Exp.Op == syntax.AssignUnset:
			out.s = v.s
		case set:
			out.s = w.s
		}
		if pe.Exp.Op == syntax.AssignUnset || pe.Exp.Op == syntax.AssignUnsetOrNull {
			a.setVar(st, name, out, false)
		}
		return out
	case syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
		return val{s: a.sym("${" + name + ":+…}"), t: w.t}
	case syntax.ErrorUnset, syntax.ErrorUnsetOrNull:
		return v
	}
	// Prefix and suffix removal, case changes: derived from the variable.
	out := val{s: a.sym("${" + name + "…}"), t: v.t | w.t}
	if known(v.s) && known(w.s) {
		switch pe.Exp.Op {
		case syntax.RemSmallSuffix, syntax.RemLargeSuffix:
			if !strings.ContainsAny(w.s, patternChars) {
				out.s = strings.TrimSuffix(v.s, w.s)
			}
		case syntax.RemSmallPrefix, syntax.RemLargePrefix:
			if !strings.ContainsAny(w.s, patternChars) {
				out.s = strings.TrimPrefix(v.s, w.s)
			}
		}
	}
	return out
}

// cmdSubst evaluates $(…): the taint of what the commands print.
func (a *analyzer) cmdSubst(st *state, u *unit, cs *syntax.CmdSubst) val {
	text := u.text(cs)
	if len(cs.Stmts) == 1 {
		s := cs.Stmts[0]
		// $(< file)
		if s.Cmd == nil && len(s.Redirs) == 1 && s.Redirs[0].Op == syntax.RdrIn && s.Redirs[0].N == nil {
			v := a.word(st, u, s.Redirs[0].Word)
			v.s = a.abs(st, v.s)
			return val{s: a.symText(text), t: a.readTaint(st, v, false)}
		}
		if v, ok := a.pathCmd(st, u, s); ok {
			return v
		}
	}
	var out taint
	a.subshell(st, func(sub *state) {
		sub.fd[1] = &sink{kind: sinkCapture, cap: &out}
		a.stmts(sub, u, cs.Stmts)
	})
	return val{s: a.symText(text), t: out}
}

// pathCmd evaluates the command substitutions that compute paths:
// $(mktemp), $(pwd), $(dirname …), $(basename …), $(realpath …).
func (a *analyzer) pathCmd(st *state, u *unit, s *syntax.Stmt) (val, bool) {
	ce, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(s.Redirs) > 0 || len(ce.Assigns) > 0 || len(ce.Args) == 0 {
		return val{}, false
	}
	switch ce.Args[0].Lit() {
	case "mktemp":
		args := a.fields(st, u, ce.Args)
		c := &call{u: u, pos: u.pos(s.Pos()), text: u.text(s), args: args}
		return val{s: a.mktemp(st, c)}, true
	case "pwd":
		return val{s: st.cwd}, true
	case "dirname", "basename", "realpath", "readlink":
		args := a.fields(st, u, ce.Args)
		o := parseOpts(args[1:], "-s --suffix -z", false)
		if len(o.ops) != 1 || !known(o.ops[0].s) || o.ops[0].t != 0 {
			return val{}, false
		}
		p := o.ops[0].s
		switch ce.Args[0].Lit() {
		case "dirname":
			return val{s: path.Dir(p)}, true
		case "basename":
			return val{s: path.Base(p)}, true
		case "realpath":
			return val{s: a.abs(st, p)}, true
		}
		if o.has("-f", "-e", "-m", "--canonicalize", "--canonicalize-existing", "--canonicalize-missing") {
			return val{s: a.abs(st, p)}, true
		}
	}
	return val{}, false
}

func (a *analyzer) procSubst(st *state, u *unit, ps *syntax.ProcSubst) val {
	p := a.sym("/dev/fd/63")
	if ps.Op == syntax.CmdOut {
		// >(cmd): cmd reads what is written to p; see analyzer.write.
		if a.outProcs == nil {
			a.outProcs = make(map[string]outProc)
		}
		a.outProcs[p] = outProc{ps.Stmts, u}
		a.subshell(st, func(sub *state) {
			sub.in = 0
			a.stmts(sub, u, ps.Stmts)
		})
		return val{s: p}
	}
	var out taint
	a.subshell(st, func(sub *state) {
		sub.fd[1] = &sink{kind: sinkCapture, cap: &out}
		a.stmts(sub, u, ps.Stmts)
	})
	if out != 0 {
		st.wfiles()[p] = out
	}
	return val{s: p}
}

// arithm evaluates an arithmetic expression for its side effects and returns
// the taint of the variables it uses.
func (a *analyzer) arithm(st *state, u *unit, x syntax.ArithmExpr) taint {
	switch x := x.(type) {
	case *syntax.Word:
		v := a.word(st, u, x)
		if lit := x.Lit(); syntax.ValidName(lit) {
			lv, _ := a.lookup(st, lit)
			v.t |= lv.t
		}
		return v.t
	case *syntax.BinaryArithm:
		return a.arithm(st, u, x.X) | a.arithm(st, u, x.Y)
	case *syntax.UnaryArithm:
		return a.arithm(st, u, x.X)
	case *syntax.ParenArithm:
		return a.arithm(st, u, x.X)
	case *syntax.FlagsArithm:
		if x.X != nil {
			return a.arithm(st, u, x.X)
		}
	}
	return 0
}

func (a *analyzer) testExpr(st *state, u *unit, x syntax.TestExpr) {
	switch x := x.(type) {
	case *syntax.Word:
		a.word(st, u, x)
	case *syntax.BinaryTest:
		a.testExpr(st, u, x.X)
		a.testExpr(st, u, x.Y)
	case *syntax.UnaryTest:
		a.testExpr(st, u, x.X)
	case *syntax.ParenTest:
		a.testExpr(st, u, x.X)
	}
}

// assignValue evaluates the right-hand side of an assignment.
func (a *analyzer) assignValue(st *state, u *unit, as *syntax.Assign) val {
	var v val
	switch {
	case as.Array != nil:
		var t taint
		for _, e := range as.Array.Elems {
			if e.Index != nil {
				t |= a.arithm(st, u, e.Index)
			}
			t |= a.word(st, u, e.Value).t
		}
		v = val{s: a.sym("(…)"), t: t}
	case as.Value != nil:
		v = a.word(st, u, as.Value)
		v.glob, v.pat = false, "" // no pathname expansion in assignments
	case as.Naked && as.Name != nil:
		v, _ = a.lookup(st, as.Name.Value)
	}
	if as.Index != nil && as.Name != nil {
		a.arithm(st, u, as.Index)
		old, _ := a.lookup(st, as.Name.Value)
		v = val{s: a.sym(as.Name.Value + "[…]"), t: v.t | old.t}
	}
	return v
}

func (a *analyzer) assign(st *state, u *unit, as *syntax.Assign, export bool) {
	if as.Name == nil {
		return
	}
	name := as.Name.Value
	v := a.assignValue(st, u, as)
	if as.Append {
		old, _ := a.lookup(st, name)
		v = val{s: old.s + v.s, t: old.t | v.t}
	}
	a.setVar(st, name, v, export)
}

func (a *analyzer) setVar(st *state, name string, v val, export bool) {
	old, ok := st.vars[name]
	if !ok && name == "HOME" {
		ok, old.exported = true, true // HOME is in the environment from the start
	}
	st.wvars()[name] = variable{val: v, exported: export || st.allexport || ok && old.exported}
}
