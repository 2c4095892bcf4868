package model

import (
	"slices"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// scope holds the ARG and ENV variables visible at one point of a stage. It implements
// shell.EnvGetter the way expansion sees it: a declared variable without a value expands to nothing, an
// undeclared one (which may come from the base image) is left as written by the expander.
type scope struct {
	vars   []*Var            // effective declarations, in declaration order
	values map[string]string // name → value, for declarations that have one
	snap   []*Var            // a copy of vars made by snapshot since the last set, if any
}

var _ shell.EnvGetter = (*scope)(nil)

func newScope() *scope {
	return &scope{values: map[string]string{}}
}

// Get implements shell.EnvGetter.
func (s *scope) Get(name string) (string, bool) {
	if v, ok := s.values[name]; ok {
		return v, true
	}
	if s.lookup(name) != nil {
		return "", true
	}
	return "", false
}

// Keys implements shell.EnvGetter.
func (s *scope) Keys() []string {
	keys := make([]string, 0, len(s.vars))
	for _, v := range s.vars {
		keys = append(keys, v.Name)
	}
	return keys
}

func (s *scope) lookup(name string) *Var {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].Name == name {
			return s.vars[i]
		}
	}
	return nil
}

// set declares v with value (hasValue false: declared, no value).
func (s *scope) set(v *Var, value string, hasValue bool) {
	s.vars = slices.DeleteFunc(s.vars, func(o *Var) bool { return o.Name == v.Name })
	s.vars = append(s.vars, v)
	s.snap = nil
	if hasValue {
		s.values[v.Name] = value
	} else {
		delete(s.values, v.Name)
	}
}

// inherit returns the scope a stage built on this one starts with: its ENV variables (the image
// configuration); ARGs do not carry over to another stage.
func (s *scope) inherit() *scope {
	out := newScope()
	for _, v := range s.vars {
		if v.Kind == Env {
			out.vars = append(out.vars, v)
			out.values[v.Name] = s.values[v.Name]
		}
	}
	return out
}

// snapshot returns a copy of the declarations in scope, the same copy until the scope changes.
func (s *scope) snapshot() []*Var {
	if s.snap == nil {
		s.snap = slices.Clone(s.vars)
	}
	return s.snap
}

// noEnv is an EnvGetter with no variables.
type noEnv struct{}

func (noEnv) Get(string) (string, bool) { return "", false }
func (noEnv) Keys() []string            { return nil }

// expander expands Dockerfile words the way dockerfile2llb does, with shell.Lex.
type expander struct {
	lex    *shell.Lex // SkipUnsetEnv: variables unknown to the scope are kept as written
	escape rune
}

// newExpander returns an expander; its Lex is made when a word first needs one, as most words of a
// Dockerfile have nothing to expand.
func newExpander(escape rune) *expander {
	return &expander{escape: escape}
}

func (e *expander) lexer() *shell.Lex {
	if e.lex == nil {
		e.lex = shell.NewLex(e.escape)
		e.lex.SkipUnsetEnv = true
	}
	return e.lex
}

// plain reports whether word has nothing to expand: no variable, quote or escape.
func (e *expander) plain(word string) bool {
	for i := 0; i < len(word); i++ {
		switch c := word[i]; {
		case c == '$' || c == '\'' || c == '"' || rune(c) == e.escape:
			return false
		}
	}
	return true
}

// expand expands word in env; when the word does not expand (a syntax error), it is returned as is.
func (e *expander) expand(word string, env shell.EnvGetter) string {
	if e.plain(word) {
		return word
	}
	out, _, err := e.lexer().ProcessWord(word, env)
	if err != nil {
		return word
	}
	return out
}

// expandErr is expand that reports errors, for BuildKit's Expand methods.
func (e *expander) expandErr(env shell.EnvGetter) func(string) (string, error) {
	return func(word string) (string, error) {
		if e.plain(word) {
			return word, nil
		}
		out, _, err := e.lexer().ProcessWord(word, env)
		return out, err
	}
}

// literal returns what word yields with no variable set, and the variables it refers to in order of
// first appearance.
func (e *expander) literal(word string) (string, []string) {
	if e.plain(word) {
		return word, nil
	}
	// Here every variable is unset and expands to nothing (or its ${X:-default}).
	lex := e.lexer()
	lex.SkipUnsetEnv = false
	defer func() { lex.SkipUnsetEnv = true }()
	if !strings.ContainsRune(word, '$') {
		out, _, err := lex.ProcessWord(word, noEnv{})
		if err != nil {
			return word, nil
		}
		return out, nil
	}
	res, err := lex.ProcessWordWithMatches(word, noEnv{})
	if err != nil {
		return word, nil
	}
	refs := make([]string, 0, len(res.Unmatched))
	for name := range res.Unmatched {
		refs = append(refs, name)
	}
	sort.Slice(refs, func(i, j int) bool {
		return firstRef(word, refs[i]) < firstRef(word, refs[j])
	})
	return res.Result, refs
}

// firstRef returns the offset of the first $name or ${name in word.
func firstRef(word, name string) int {
	best := len(word)
	for _, form := range []string{"${" + name, "$" + name} {
		if i := strings.Index(word, form); i >= 0 && i < best {
			best = i
		}
	}
	return best
}
