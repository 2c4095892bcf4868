package main

import (
	"fmt"
	"sort"
	"strings"
)

// Some of the suite's tests depend on timing (progress messages, transfer sizes) and now and then fail
// in one run only. An unexpected difference is therefore confirmed by running its case again against
// both frontends before it fails the check.

// Flake is an unexpected difference of the first runs that a rerun of its case did not reproduce.
type Flake struct {
	Difference
	// The test's outcomes in the rerun (the same in both, or missing in both when the rerun's case did
	// not run that subtest).
	RerunStock, RerunTightlip Outcome
}

// caseOf returns the case (what integration.Run starts) that name belongs to: name itself or its
// nearest ancestor that is a case in r, or "" when r does not hold name.
func (r *Run) caseOf(name string) string {
	if _, ok := r.Tests[name]; !ok {
		return ""
	}
	for p := name; strings.Contains(p, "/"); p = p[:strings.LastIndex(p, "/")] {
		if _, ok := r.Tests[p]; ok && r.IsCase(p) {
			return p
		}
	}
	return ""
}

// finished reports whether every test of the run reported a result and the test binary did not stop
// early.
func (r *Run) finished() bool {
	if r.Fatal != "" {
		return false
	}
	for _, t := range r.Tests {
		if t.Outcome == Unfinished {
			return false
		}
	}
	return true
}

// differenceCase returns the case of a test of either run.
func differenceCase(stock, tightlip *Run, name string) string {
	if c := tightlip.caseOf(name); c != "" {
		return c
	}
	return stock.caseOf(name)
}

// RerunCases lists, sorted and once each, the cases of the unexpected differences that a rerun can
// confirm: those not in the allow-list. A misstated outcome or an unconfirmed rule is a problem of the
// allow-list line whatever a rerun gives, and an expected difference is not rerun.
func (c *Comparison) RerunCases(stock, tightlip *Run) []string {
	seen := map[string]bool{}
	var cases []string
	for _, d := range c.Unexpected {
		if !c.rerunnable(d) {
			continue
		}
		if k := differenceCase(stock, tightlip, d.Test); k != "" && !seen[k] {
			seen[k] = true
			cases = append(cases, k)
		}
	}
	sort.Strings(cases)
	return cases
}

func (c *Comparison) rerunnable(d Difference) bool {
	_, misstated := c.Misstated[d.Test]
	_, unconfirmed := c.Unconfirmed[d.Test]
	return !misstated && !unconfirmed
}

// confirm judges the unexpected differences by a rerun of their cases against both frontends. A
// difference is not reproduced when both reruns finished, both ran its case, and neither the case nor
// any of its subtests differs there other than as the allow-list says: it moves from Unexpected to
// NotReproduced. Every other difference stays unexpected, with what the rerun showed in its Rerun note.
func (c *Comparison) confirm(stock, tightlip, stockRerun, tightlipRerun *Run, expected []Expected) {
	rc := compare(stockRerun, tightlipRerun, expected)
	var unfinished []string
	for _, lr := range []struct {
		label string
		r     *Run
	}{{"stock", stockRerun}, {"tightlip", tightlipRerun}} {
		if !lr.r.finished() {
			unfinished = append(unfinished, lr.label)
		}
	}
	var still []Difference
	for _, d := range c.Unexpected {
		if !c.rerunnable(d) {
			still = append(still, d)
			continue
		}
		k := differenceCase(stock, tightlip, d.Test)
		rs, rt := stockRerun.outcome(k), tightlipRerun.outcome(k)
		again := rc.differsUnder(k, d.Test)
		switch {
		case len(unfinished) > 0:
			d.Rerun = fmt.Sprintf("the %s rerun did not finish, so the rerun does not count", strings.Join(unfinished, " and the "))
		case !ranCase(rs) || !ranCase(rt):
			d.Rerun = fmt.Sprintf("its case did not run in the rerun (stock %s, tightlip %s)", rs, rt)
		case again != nil && again.Test == d.Test:
			d.Rerun = fmt.Sprintf("reproduced in the rerun: stock %s, tightlip %s", again.Stock, again.Tightlip)
		case again != nil:
			d.Rerun = fmt.Sprintf("its case differs again in the rerun: %s: stock %s, tightlip %s",
				again.Test, again.Stock, again.Tightlip)
		default:
			c.NotReproduced = append(c.NotReproduced, Flake{
				Difference: d,
				RerunStock: stockRerun.outcome(d.Test), RerunTightlip: tightlipRerun.outcome(d.Test),
			})
			continue
		}
		still = append(still, d)
	}
	c.Unexpected = still
	c.Reran = true
}

func ranCase(o Outcome) bool { return o == Pass || o == Fail || o == Skip }

// differsUnder returns an unexpected difference of the case k or of one of its subtests, that of the
// test named first if there is one, or nil.
func (c *Comparison) differsUnder(k, first string) *Difference {
	var found *Difference
	for i, d := range c.Unexpected {
		if d.Test == first {
			return &c.Unexpected[i]
		}
		if found == nil && (d.Test == k || strings.HasPrefix(d.Test, k+"/")) {
			found = &c.Unexpected[i]
		}
	}
	return found
}
