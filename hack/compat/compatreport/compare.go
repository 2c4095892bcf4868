package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Difference is a test whose outcome differs between the runs.
type Difference struct {
	Test     string
	Stock    Outcome
	Tightlip Outcome
	Reason   string // the allow-list's, for expected differences
	Excerpt  string // why tightlip's (or else stock's) run did not pass, from its output
	Rerun    string // what a rerun of its case showed, when it did not clear the difference
}

// Comparison sorts the tests of two runs.
type Comparison struct {
	Expected   []Difference // listed with tightlip's actual outcome
	Unexpected []Difference // not listed, or listed with another outcome (see Misstated)
	Misstated  map[string]Expected
	// Unconfirmed: listed as refused by a rule, but tightlip's output does not name that rule.
	Unconfirmed map[string]Expected
	Stale       []Expected // listed, but the runs agree now
	BothFail    []string   // cases failing in both runs: environment limits
	BothSkip    []string   // cases skipped in both runs
	// NotReproduced: unexpected differences that a rerun of their cases did not reproduce (see confirm).
	NotReproduced []Flake
	Reran         bool // confirm ran: the differences were judged by a rerun of their cases
}

func compare(stock, tightlip *Run, expected []Expected) *Comparison {
	listed := map[string]Expected{}
	for _, e := range expected {
		listed[e.Test] = e
	}
	names := map[string]bool{}
	for _, n := range stock.Names() {
		names[n] = true
	}
	for _, n := range tightlip.Names() {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)

	c := &Comparison{Misstated: map[string]Expected{}, Unconfirmed: map[string]Expected{}}
	differs := map[string]bool{}
	for _, name := range sorted {
		s, t := stock.outcome(name), tightlip.outcome(name)
		if s == t {
			if stock.IsCase(name) || tightlip.IsCase(name) {
				switch s {
				case Fail:
					c.BothFail = append(c.BothFail, name)
				case Skip:
					c.BothSkip = append(c.BothSkip, name)
				}
			}
			continue
		}
		differs[name] = true
		d := Difference{Test: name, Stock: s, Tightlip: t, Excerpt: excerpt(tightlip, stock, name)}
		e, ok := listed[name]
		switch {
		case ok && e.Outcome == t && !confirmsRules(tightlip, name, e.Reason):
			c.Unconfirmed[name] = e
			c.Unexpected = append(c.Unexpected, d)
		case ok && e.Outcome == t:
			d.Reason = e.Reason
			c.Expected = append(c.Expected, d)
		case ok:
			c.Misstated[name] = e
			c.Unexpected = append(c.Unexpected, d)
		default:
			c.Unexpected = append(c.Unexpected, d)
		}
	}
	for _, e := range expected {
		if !differs[e.Test] {
			c.Stale = append(c.Stale, e)
		}
	}
	return c
}

var ruleID = regexp.MustCompile(`\bTL\d{3}\b`)

// confirmsRules reports whether a difference put down to tightlip's rules is theirs: when the reason
// names rule IDs (TL101, …), tightlip's output for the test or its subtests must name one of them, so
// that a test listed as refused by a rule does not pass as expected when it fails for another reason.
func confirmsRules(r *Run, name, reason string) bool {
	ids := ruleID.FindAllString(reason, -1)
	if len(ids) == 0 {
		return true
	}
	for test, t := range r.Tests {
		if test != name && !strings.HasPrefix(test, name+"/") {
			continue
		}
		for _, line := range t.output {
			for _, id := range ids {
				if strings.Contains(line, id) {
					return true
				}
			}
		}
	}
	return false
}

// excerpt explains the run in which name did not pass, tightlip's first.
func excerpt(tightlip, stock *Run, name string) string {
	for _, r := range []*Run{tightlip, stock} {
		if t, ok := r.Tests[name]; ok && t.Outcome != Pass {
			if s := r.Explain(name); s != "" {
				return s
			}
		}
	}
	return ""
}

// problems lists what fails the check.
func (c *Comparison) problems(stock, tightlip *Run) []string {
	var out []string
	for _, lr := range []struct {
		label string
		r     *Run
	}{{"stock", stock}, {"tightlip", tightlip}} {
		label, r := lr.label, lr.r
		if n := r.caseCounts().Total; n == 0 {
			out = append(out, fmt.Sprintf("the %s run ran no test (see its log)", label))
		}
		var unfinished []string
		for _, name := range r.Names() {
			if r.Tests[name].Outcome == Unfinished {
				unfinished = append(unfinished, name)
			}
		}
		if len(unfinished) > 0 || r.Fatal != "" {
			msg := fmt.Sprintf("the %s run did not finish: %d test(s) never reported a result", label, len(unfinished))
			if len(unfinished) > 0 {
				msg += fmt.Sprintf(" (first: %s)", unfinished[0])
			}
			if r.Fatal != "" {
				msg += "; the test binary stopped with: " + r.Fatal
			}
			out = append(out, msg)
		}
	}
	for _, d := range c.Unexpected {
		msg := fmt.Sprintf("%s: stock %s, tightlip %s", d.Test, d.Stock, d.Tightlip)
		if e, ok := c.Misstated[d.Test]; ok {
			msg += fmt.Sprintf(" (the allow-list, line %d, expects tightlip to %s)", e.Line, e.Outcome)
		} else if e, ok := c.Unconfirmed[d.Test]; ok {
			msg += fmt.Sprintf(" (the allow-list, line %d, puts it down to %s, which tightlip's output does not name)",
				e.Line, strings.Join(ruleID.FindAllString(e.Reason, -1), ", "))
		} else {
			msg += " (not in the allow-list)"
		}
		if d.Rerun != "" {
			msg += "; " + d.Rerun
		}
		if d.Excerpt != "" {
			msg += "\n      " + d.Excerpt
		}
		out = append(out, msg)
	}
	for _, e := range c.Stale {
		out = append(out, fmt.Sprintf("%s is allow-listed (line %d: tightlip %s) but both runs now give %s: remove the line",
			e.Test, e.Line, e.Outcome, stock.outcome(e.Test)))
	}
	return out
}
