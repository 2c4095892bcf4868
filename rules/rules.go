// Package rules holds tightlip's checks: each rule reads the Dockerfile model and reports every way a
// credential reaches the image as a Finding with a precise location.
//
// Rules are values (one per file, rules/<id>_<name>.go) listed explicitly by All. Rule IDs are grouped:
//
//	TL1xx  credentials in the Dockerfile itself: ARG/ENV, literal values, files from the build context
//	TL2xx  credentials persisted by RUN commands (shell analysis)
//	TL3xx  credentials that travel between stages
//	TL4xx  images a build policy does not allow
//
// Nothing here talks to a daemon or imports LLB: a rule runs on a model.File and, when available, a
// read-only view of the build context. Results that several rules need are computed once per Run and
// reached through Pass methods (the walk of the build context today; the shell analysis of each RUN
// script, built on model.Run.Script and model.Run.Scope, is meant to join it the same way).
package rules

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
)

// Severity says how a finding is treated: errors fail the build.
type Severity int

const (
	// Error: a credential reaches the image (or its metadata); the build fails.
	Error Severity = iota + 1
	// Warning: a credential is handled in a way that easily leaks, or may be one; reported only.
	Warning
	// Info: worth knowing, nothing leaks.
	Info
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Rule is one check with its documentation.
type Rule struct {
	// ID is the stable identifier ("TL101") used in policy and suppressions.
	ID string
	// Name is a kebab-case name ("secret-env").
	Name string
	// Severity is the severity of the rule's findings, unless a finding says otherwise (a rule may
	// report findings at a lower severity when it is unsure).
	Severity Severity
	// Summary is one line saying what the rule finds.
	Summary string
	// Doc is the long documentation in Markdown.
	Doc string
	// Bad and Good are example Dockerfile snippets: one the rule flags, one it accepts.
	Bad, Good string
	// Check runs the rule.
	Check func(*Pass)
}

func (r *Rule) String() string { return r.ID + " " + r.Name }

// Finding is one thing a rule found.
type Finding struct {
	Rule *Rule
	// Severity is the finding's severity; Run sets it to the rule's when the check leaves it zero.
	Severity Severity
	// Range is where the Dockerfile shows the problem (see package model for the conventions).
	Range parser.Range
	// Message says what leaks where and how to fix it. It never contains a credential's value.
	Message string
	// Subject names what the finding is about, when there is one name: the ARG or ENV name, the
	// context file's path. Policies select findings by it.
	Subject string
	// Fix, when not nil, is a change to the Dockerfile that removes the problem.
	Fix *Fix
}

func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s %s: %s", f.Range.Start.Line, f.Range.Start.Character, f.Rule.ID, f.Severity, f.Message)
}

// Fix is a suggested change as data; the rewrite package applies it.
type Fix struct {
	// Message describes the change.
	Message string
	// Edits replace text ranges of the Dockerfile; they do not overlap.
	Edits []Edit
}

// Edit replaces the text in Range with NewText.
type Edit struct {
	Range   parser.Range
	NewText string
}

// Options configure Run.
type Options struct {
	// Rules are the rules to run; nil means All().
	Rules []*Rule
	// Context is the build context, or nil when it is not available (rules then judge files by name).
	Context Context
	// Config is what a build policy changes; nil is the built-in behaviour.
	Config *Config
	// NamedContexts are the build's named contexts (--build-context), by name as the client gives
	// it (NAME or NAME::PLATFORM), each a value such as docker-image://REF or local:NAME.
	NamedContexts map[string]string
}

// Pass is what a rule's Check is given.
type Pass struct {
	// File is the Dockerfile model.
	File *model.File
	// Context is the build context; nil when not available.
	Context Context
	// Config is what a build policy changes (never nil).
	Config *Config
	// NamedContexts are the build's named contexts (Options.NamedContexts).
	NamedContexts map[string]string

	rule     *Rule
	findings *[]Finding
	shared   *shared
}

// shared holds results computed once per Run and used by several rules.
type shared struct {
	contextFiles []contextFile
	contextErr   error
	walked       bool
	flow         *flow // the shell and stage analysis (Pass.flow)
}

// Report records a finding of the running rule.
func (p *Pass) Report(f Finding) {
	f.Rule = p.rule
	if f.Severity == 0 {
		f.Severity = p.rule.Severity
	}
	*p.findings = append(*p.findings, f)
}

// ReportSubject records a finding at r about subject with a formatted message.
func (p *Pass) ReportSubject(r parser.Range, subject, format string, args ...any) {
	p.Report(Finding{Range: r, Subject: subject, Message: fmt.Sprintf(format, args...)})
}

// Reportf records a finding at r with a formatted message.
func (p *Pass) Reportf(r parser.Range, format string, args ...any) {
	p.Report(Finding{Range: r, Message: fmt.Sprintf(format, args...)})
}

// All returns every rule, in ID order.
func All() []*Rule {
	return []*Rule{
		TL101,
		TL102,
		TL103,
		TL110,
		TL120,
		TL121,
		TL122,
		TL201,
		TL202,
		TL203,
		TL301,
		TL401,
		TL402,
	}
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Run runs the rules on file and returns the findings sorted by position, then rule ID.
func Run(file *model.File, opts Options) []Finding {
	rules := opts.Rules
	if rules == nil {
		rules = All()
	}
	var findings []Finding
	sh := &shared{}
	cfg := opts.Config
	if cfg == nil {
		cfg = &Config{}
	}
	passes := make([]Pass, len(rules))
	for i, r := range rules {
		passes[i] = Pass{File: file, Context: opts.Context, Config: cfg, NamedContexts: opts.NamedContexts, rule: r, findings: &findings, shared: sh}
		r.Check(&passes[i])
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
			cmp.Compare(a.Range.Start.Character, b.Range.Start.Character),
			cmp.Compare(a.Rule.ID, b.Rule.ID),
		)
	})
	return findings
}
