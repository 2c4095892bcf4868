package shellflow

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// nestedScript is shell text run by a command of the script: sh -c, eval,
// trap, su -c. Expansions that the outer shell performs before the inner one
// parses the text are replaced by placeholder variables (holes), whose values
// the inner analysis gets: in bash -c "echo $TOKEN > f" the inner script is
// echo ${__tl0} > f, with __tl0 tainted by TOKEN.
type nestedScript struct {
	src   string
	base  Pos
	holes []val
}

func holeName(i int) string { return "__tl" + strconv.Itoa(i) }

// scriptOf returns the script that the word of ar stands for. heredoc says
// the word is a heredoc body. It fails when the whole text is computed at
// run time (sh -c "$CMD").
func (a *analyzer) scriptOf(st *state, u *unit, ar arg, heredoc bool) (nestedScript, bool) {
	w := ar.w
	if w == nil {
		return a.scriptOfText(ar)
	}
	if len(w.Parts) == 1 {
		switch p := w.Parts[0].(type) {
		case *syntax.SglQuoted:
			if !p.Dollar {
				return nestedScript{src: p.Value, base: shift(u.pos(p.Pos()), 1)}, true
			}
		case *syntax.Lit:
			if heredoc {
				return nestedScript{src: p.Value, base: u.pos(p.Pos())}, true
			}
		}
	}
	var b strings.Builder
	var holes []val
	lit := false
	var walk func(parts []syntax.WordPart, quoted bool)
	walk = func(parts []syntax.WordPart, quoted bool) {
		for _, p := range parts {
			switch p := p.(type) {
			case *syntax.Lit:
				lit = true
				switch {
				case heredoc:
					b.WriteString(unescapeHeredoc(p.Value))
				case quoted:
					b.WriteString(unescapeQuoted(p.Value))
				default:
					var wb wordBuilder
					unescapeBare(p.Value, &wb)
					b.WriteString(wb.s.String())
				}
			case *syntax.SglQuoted:
				lit = true
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				walk(p.Parts, true)
			default:
				var v val
				switch p := p.(type) {
				case *syntax.ParamExp:
					v = a.param(st, u, p)
				case *syntax.CmdSubst:
					v = a.cmdSubst(st, u, p)
				case *syntax.ArithmExp:
					v = val{s: a.sym("$((…))"), t: a.arithm(st, u, p.X)}
				default:
					v = val{s: a.sym("…")}
				}
				if known(v.s) && v.t == 0 {
					b.WriteString(v.s) // the text the shell would paste in
					continue
				}
				b.WriteString("${" + holeName(len(holes)) + "}")
				holes = append(holes, v)
			}
		}
	}
	walk(w.Parts, false)
	if !lit {
		return nestedScript{}, false
	}
	base := u.pos(w.Pos())
	switch w.Parts[0].(type) {
	case *syntax.SglQuoted, *syntax.DblQuoted:
		base = shift(base, 1)
	}
	return nestedScript{src: b.String(), base: base, holes: holes}, true
}

// scriptOfText is scriptOf for an argument without a word (exec form,
// xargs): its unknown stretches become holes with the argument's taint.
func (a *analyzer) scriptOfText(ar arg) (nestedScript, bool) {
	sc := nestedScript{base: ar.pos}
	var b strings.Builder
	s := ar.s
	lit := false
	for s != "" {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			b.WriteString(s)
			lit = true
			break
		}
		b.WriteString(s[:i])
		lit = lit || i > 0
		j := strings.IndexByte(s[i+1:], 0)
		if j < 0 {
			break
		}
		sym := s[i : i+j+2]
		b.WriteString("${" + holeName(len(sc.holes)) + "}")
		sc.holes = append(sc.holes, val{s: sym, t: ar.t})
		s = s[i+j+2:]
	}
	sc.src = b.String()
	return sc, lit
}

func shift(p Pos, cols int) Pos {
	p.Col += cols
	return p
}

// unescapeHeredoc removes the backslashes that quote characters in the body
// of a heredoc with an unquoted delimiter.
func unescapeHeredoc(s string) string { return unescape(s, "$`\\") }

// parseNested parses a nested script; a script that does not parse is
// reported as unsupported.
func (a *analyzer) parseNested(sc nestedScript, f fact) (*syntax.File, *unit) {
	if a.depth >= maxDepth {
		a.unsupportedAt(f, "scripts nested too deeply: not analysed")
		return nil, nil
	}
	u := &unit{src: sc.src, base: sc.base}
	file, err := a.parse(sc.src)
	if err != nil {
		pe := parseError(u, err).(*ParseError)
		a.unsupportedAt(fact{pos: pe.Pos, text: f.text}, "nested script does not parse: "+pe.Msg)
		return nil, nil
	}
	return file, u
}

// withHoles runs fn with the placeholder variables of a nested script set
// in st.
func (a *analyzer) withHoles(st *state, holes []val, fn func()) {
	for i, h := range holes {
		st.wvars()[holeName(i)] = variable{val: h}
	}
	fn()
	for i := range holes {
		delete(st.wvars(), holeName(i))
	}
}
