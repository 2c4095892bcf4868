package policy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tightlip/tightlip/rules"
)

// grant is what a layer may loosen: the permissions of the layer before it.
type grant struct {
	from                                     Origin // the layer that granted it
	severity, exceptions                     []string
	names, values, files                     bool
	rewrite, baseImages, directives, verific bool
}

func (g grant) allowsRule(list []string, id string) bool {
	return slices.Contains(list, "*") || slices.Contains(list, id)
}

// next returns what the layer after l may loosen: l's permissions, within what l itself was granted.
// A layer without permissions grants nothing.
func (g grant) next(l *Layer) grant {
	p := l.doc.Permissions
	n := grant{from: l.Origin}
	if p == nil {
		return n
	}
	within := func(list []string, have []string) []string {
		var out []string
		for _, id := range list {
			switch {
			case id == "*":
				out = append(out, have...)
			case g.allowsRule(have, id):
				out = append(out, id)
			}
		}
		return out
	}
	n.severity = within(p.Severity, g.severity)
	n.exceptions = within(p.Exceptions, g.exceptions)
	n.names = p.AllowedNames && g.names
	n.values = p.AllowedValues && g.values
	n.files = p.AllowedFiles && g.files
	n.rewrite = p.Rewrite && g.rewrite
	n.baseImages = p.BaseImages && g.baseImages
	n.directives = p.Directives && g.directives
	n.verific = p.Verification && g.verification()
	return n
}

func (g grant) verification() bool { return g.verific }

// all is what the embedded default is given: everything.
func all() grant {
	return grant{severity: []string{"*"}, exceptions: []string{"*"}, names: true, values: true, files: true,
		rewrite: true, baseImages: true, directives: true, verific: true}
}

var defaultLayer = sync.OnceValue(func() *Layer {
	l, err := Parse(Default, "default.yaml", defaultYAML)
	if err != nil {
		panic(fmt.Sprintf("policy: the embedded default policy is invalid: %v", err))
	}
	return l
})

// DefaultLayer returns the embedded default policy layer.
func DefaultLayer() *Layer { return defaultLayer() }

// DefaultPolicy returns the embedded default policy alone, merged.
func DefaultPolicy() *Policy {
	p, err := Merge(DefaultLayer())
	if err != nil {
		panic(fmt.Sprintf("policy: merging the embedded default policy: %v", err))
	}
	return p
}

// Merge merges layers in order; the first must be the embedded default (DefaultLayer). Each later
// layer may tighten anything and loosen only what the permissions of the layer before it allow;
// loosening without permission is an error at the setting's line.
func Merge(layers ...*Layer) (*Policy, error) {
	if len(layers) == 0 || layers[0].Origin.Kind != Default {
		return nil, fmt.Errorf("internal error: a policy starts with the embedded default")
	}
	p := &Policy{Rules: map[string]Severity{}, Origins: map[string]Origin{}}
	g := all()
	var errs Errors
	for _, l := range layers {
		m := merger{p: p, l: l, g: g}
		m.merge()
		errs = append(errs, sortErrors(m.errs)...)
		p.Layers = append(p.Layers, l.Origin)
		g = g.next(l)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

type merger struct {
	p    *Policy
	l    *Layer
	g    grant
	errs Errors
}

func (m *merger) at(path string) Origin {
	o := m.l.Origin
	o.Line = m.l.pos(path).line
	return o
}

func (m *merger) set(path string) { m.p.Origins[path] = m.at(path) }

// refuse records a loosening the layer is not permitted.
func (m *merger) refuse(path, what, permission string) {
	pos := m.l.pos(path)
	m.errs = append(m.errs, &Error{Path: m.l.Origin.Path, Line: pos.line, Column: pos.col,
		Msg: fmt.Sprintf("%s loosens the policy, which %s does not permit (permissions.%s)", what, m.g.from, permission)})
}

func (m *merger) merge() {
	d, p := &m.l.doc, m.p
	for _, id := range slices.Sorted(maps.Keys(d.Rules)) {
		sev, path := d.Rules[id], "rules."+id
		cur, ok := p.Rules[id]
		if ok && sev.rank() < cur.rank() && !m.g.allowsRule(m.g.severity, id) {
			m.refuse(path, fmt.Sprintf("rules.%s: %s (was %s)", id, sev, cur), "severity")
			continue
		}
		if !ok && sev.rank() < ruleSeverity(id).rank() && !m.g.allowsRule(m.g.severity, id) {
			// The rule's own severity is the baseline: lowering it is loosening.
			m.refuse(path, fmt.Sprintf("rules.%s: %s (the rule's own severity is %s)", id, sev, ruleSeverity(id)), "severity")
			continue
		}
		p.Rules[id] = sev
		m.set(path)
	}
	if c := d.Credentials; c != nil {
		if c.Names != nil {
			p.Names = append(p.Names, m.globs("credentials.names.extra", c.Names.Extra, true)...)
			if len(c.Names.Allowed) > 0 && !m.g.names {
				m.refuse("credentials.names.allowed", "credentials.names.allowed", "allowedNames")
			} else {
				p.AllowedNames = append(p.AllowedNames, m.globs("credentials.names.allowed", c.Names.Allowed, true)...)
			}
		}
		if v := c.Values; v != nil {
			for i, e := range v.Extra {
				path := fmt.Sprintf("credentials.values.extra.%d", i)
				re, _ := compileValue(e.Pattern) // checked by Parse
				p.Values = append(p.Values, ValuePattern{ID: e.ID, Description: e.Description, Pattern: re, Origin: m.at(path)})
			}
			if len(v.Allowed) > 0 && !m.g.values {
				m.refuse("credentials.values.allowed", "credentials.values.allowed", "allowedValues")
			} else {
				for i, a := range v.Allowed {
					re, _ := compileAnchored(a)
					p.AllowedValues = append(p.AllowedValues, &Regexp{Regexp: re, Origin: m.at(fmt.Sprintf("credentials.values.allowed.%d", i))})
				}
			}
		}
	}
	if f := d.Files; f != nil {
		p.Files = append(p.Files, f.Extra...)
		if len(f.Extra) > 0 {
			m.set("files.extra")
		}
		if len(f.Allowed) > 0 && !m.g.files {
			m.refuse("files.allowed", "files.allowed", "allowedFiles")
		} else if len(f.Allowed) > 0 {
			p.AllowedFiles = append(p.AllowedFiles, f.Allowed...)
			m.set("files.allowed")
		}
	}
	for i, s := range d.StoreCommands {
		p.StoreCommands = append(p.StoreCommands, StoreCommand{Words: strings.Fields(s.Command), File: s.File,
			ValuedOptions: s.ValuedOptions, Origin: m.at(fmt.Sprintf("storeCommands.%d", i))})
	}
	if r := d.Rewrite; r != nil {
		if r.Enabled != nil {
			if *r.Enabled && !p.Rewrite && len(p.Layers) > 0 && !m.g.rewrite {
				m.refuse("rewrite.enabled", "rewrite.enabled: true", "rewrite")
			} else {
				p.Rewrite = *r.Enabled
				m.set("rewrite.enabled")
			}
		}
		if r.Required != nil {
			if !*r.Required && p.RewriteRequired && !m.g.rewrite {
				m.refuse("rewrite.required", "rewrite.required: false", "rewrite")
			} else {
				p.RewriteRequired = *r.Required
				m.set("rewrite.required")
			}
		}
	}
	if b := d.BaseImages; b != nil {
		if b.Allowed != nil {
			allowed := make([]string, len(b.Allowed))
			for i, a := range b.Allowed {
				allowed[i] = NormalizeImagePrefix(a)
			}
			widens := p.BaseImages.Allowed != nil && slices.ContainsFunc(allowed, func(a string) bool {
				return !imageAllowed(p.BaseImages.Allowed, a)
			})
			if widens && !m.g.baseImages {
				m.refuse("baseImages.allowed", "baseImages.allowed (it names images the earlier layers do not allow)", "baseImages")
			} else {
				p.BaseImages.Allowed = allowed
				m.set("baseImages.allowed")
			}
		}
		if b.RequireDigest != nil {
			if !*b.RequireDigest && p.BaseImages.RequireDigest && !m.g.baseImages {
				m.refuse("baseImages.requireDigest", "baseImages.requireDigest: false", "baseImages")
			} else {
				p.BaseImages.RequireDigest = *b.RequireDigest
				m.set("baseImages.requireDigest")
			}
		}
	}
	if dir := d.Directives; dir != nil {
		for _, s := range []struct {
			key string
			v   *bool
			cur *bool
		}{{"checkSkip", dir.CheckSkip, &p.CheckSkip}, {"syntax", dir.Syntax, &p.Syntax}} {
			if s.v == nil {
				continue
			}
			path := "directives." + s.key
			if *s.v && !*s.cur && len(p.Layers) > 0 && !m.g.directives {
				m.refuse(path, path+": true", "directives")
				continue
			}
			*s.cur = *s.v
			m.set(path)
		}
	}
	if v := d.Verification; v != nil {
		first := len(p.Layers) == 0
		if v.Mode != nil {
			if !first && v.Mode.rank() < p.Verification.Mode.rank() && !m.g.verific {
				m.refuse("verification.mode", fmt.Sprintf("verification.mode: %s (was %s)", *v.Mode, p.Verification.Mode), "verification")
			} else {
				p.Verification.Mode = *v.Mode
				m.set("verification.mode")
			}
		}
		if v.Budget != nil {
			p.Verification.Budget, _ = parseDuration(*v.Budget) // checked by Parse
			m.set("verification.budget")
		}
		if v.MinLength != nil {
			if !first && *v.MinLength > p.Verification.MinLength && !m.g.verific {
				m.refuse("verification.minLength", fmt.Sprintf("verification.minLength: %d (was %d)", *v.MinLength, p.Verification.MinLength), "verification")
			} else {
				p.Verification.MinLength = *v.MinLength
				m.set("verification.minLength")
			}
		}
	}
	for i, e := range d.Exceptions {
		path := fmt.Sprintf("exceptions.%d", i)
		if !m.g.allowsRule(m.g.exceptions, e.Rule) {
			m.refuse(path, "an exception for "+e.Rule, "exceptions")
			continue
		}
		x, err := exception(e)
		if err != nil {
			pos := m.l.pos(path)
			m.errs = append(m.errs, &Error{Path: m.l.Origin.Path, Line: pos.line, Column: pos.col, Msg: err.Error()})
			continue
		}
		x.Origin = m.at(path)
		p.Exceptions = append(p.Exceptions, *x)
	}
}

func (m *merger) globs(path string, texts []string, fold bool) []Glob {
	var out []Glob
	for i, t := range texts {
		re, err := compileGlob(t, fold)
		if err != nil { // QuoteMeta'd text always compiles
			panic(err)
		}
		out = append(out, Glob{Text: t, re: re, Origin: m.at(fmt.Sprintf("%s.%d", path, i))})
	}
	return out
}

// exception compiles an exception's selectors.
func exception(e exceptionDoc) (*Exception, error) {
	x := &Exception{Rule: e.Rule, Stage: e.Stage, Line: e.Line, Reason: strings.TrimSpace(e.Reason), ExpiresText: e.Expires}
	day, err := parseDate(e.Expires)
	if err != nil {
		return nil, err
	}
	x.Expires = day.AddDate(0, 0, 1) // the expiry day is the last day it applies
	sel := func(name, text string, fold bool) *regexp.Regexp {
		if text == "" {
			return nil
		}
		x.Selectors = append(x.Selectors, Selector{name, text})
		re, _ := compileGlob(text, fold)
		return re
	}
	x.File = sel("file", e.File, false)
	if e.Stage != "" {
		x.Selectors = append(x.Selectors, Selector{"stage", e.Stage})
	}
	if e.Line != 0 {
		x.Selectors = append(x.Selectors, Selector{"line", strconv.Itoa(e.Line)})
	}
	x.Instruction = sel("instruction", e.Instruction, true)
	x.Subject = sel("subject", e.Subject, false)
	return x, nil
}

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func parseDuration(s string) (time.Duration, error) { return time.ParseDuration(s) }

// NormalizeImagePrefix returns an allowed-image entry in the form image names are compared in:
// docker's normalisation (node → docker.io/library/node, org/app → docker.io/org/app), a registry
// host as is.
func NormalizeImagePrefix(s string) string {
	s = strings.TrimSuffix(s, "/")
	first, _, hasSlash := strings.Cut(s, "/")
	isHost := strings.ContainsAny(first, ".:") || first == "localhost"
	switch {
	case isHost:
		return s
	case !hasSlash:
		return "docker.io/library/" + s
	}
	return "docker.io/" + s
}

// imageAllowed reports whether the normalised name (or prefix) is under one of the allowed prefixes.
func imageAllowed(allowed []string, name string) bool {
	for _, a := range allowed {
		if name == a || strings.HasPrefix(name, a+"/") {
			return true
		}
	}
	return false
}

// ImageAllowed reports whether a normalised image name (docker.io/library/node, without tag or
// digest) may be used.
func (b BaseImages) ImageAllowed(name string) bool {
	return b.Allowed == nil || imageAllowed(b.Allowed, name)
}

// ruleSeverity returns a rule's own severity as a policy names it.
func ruleSeverity(id string) Severity {
	for _, r := range rules.All() {
		if r.ID == id {
			return FromRules(r.Severity)
		}
	}
	return SeverityError
}

// FromRules returns the policy name of a rule severity.
func FromRules(s rules.Severity) Severity {
	if s == rules.Error {
		return SeverityError
	}
	return SeverityWarning
}

// compileAnchored compiles an allowed-value pattern so that it must match a whole value.
func compileAnchored(p string) (*regexp.Regexp, error) { return regexp.Compile(`^(?:` + p + `)$`) }
