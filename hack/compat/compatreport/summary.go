package main

import (
	"fmt"
	"strings"
	"time"
)

type summaryInput struct {
	Stock, Tightlip *Run
	Cmp             *Comparison
	Limits          map[string]string
	Suite           string
	Notes           []string
	Expected        string // the allow-list's path, for the text
}

// renderSummary writes testdata/compat/summary.md.
func renderSummary(in summaryInput) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# BuildKit's Dockerfile test suite: stock frontend vs tightlip\n\n")
	p("Written by `make compat` (hack/compat/run.sh); how to read it: docs/compatibility.md.\n")
	if in.Suite != "" {
		p("Suite: `%s`.\n", in.Suite)
	}
	for _, n := range in.Notes {
		p("%s\n", n)
	}
	p("\n| run | tests | pass | fail | skip | subtests (pass/fail/skip) | wall time |\n|---|---:|---:|---:|---:|---|---:|\n")
	for _, r := range []struct {
		name string
		run  *Run
	}{{"stock", in.Stock}, {"tightlip", in.Tightlip}} {
		c, s := r.run.caseCounts(), r.run.subtestCounts()
		extra := ""
		if c.Unfinished > 0 {
			extra = fmt.Sprintf(" (+%d unfinished)", c.Unfinished)
		}
		p("| %s | %d | %d | %d%s | %d | %d/%d/%d | %s |\n", r.name, c.Total, c.Pass, c.Fail, extra, c.Skip,
			s.Pass, s.Fail, s.Skip, duration(r.run.Seconds))
	}

	for _, r := range []struct {
		name string
		run  *Run
	}{{"stock", in.Stock}, {"tightlip", in.Tightlip}} {
		if r.run.Fatal != "" {
			p("\n**The %s run did not finish**: %s\n", r.name, r.run.Fatal)
		}
	}

	c := in.Cmp
	p("\n## Differences\n\n")
	if len(c.Expected)+len(c.Unexpected)+len(c.NotReproduced) == 0 {
		p("None: every test has the same outcome with both frontends.\n")
	} else if len(c.Expected)+len(c.Unexpected) == 0 {
		p("None but the ones a rerun did not reproduce (below).\n")
	} else {
		p("| test | stock | tightlip | status | reason, or tightlip's error |\n|---|---|---|---|---|\n")
		for _, d := range c.Expected {
			p("| %s | %s | %s | expected | %s |\n", code(Short(d.Test)), d.Stock, d.Tightlip, cell(d.Reason))
		}
		for _, d := range c.Unexpected {
			status := "**unexpected**"
			if _, ok := c.Misstated[d.Test]; ok {
				status = "**unexpected outcome**"
			}
			if _, ok := c.Unconfirmed[d.Test]; ok {
				status = "**not the listed rule**"
			}
			excerpt := d.Excerpt
			if d.Rerun != "" && excerpt != "" {
				excerpt = d.Rerun + "; " + excerpt
			} else if d.Rerun != "" {
				excerpt = d.Rerun
			}
			p("| %s | %s | %s | %s | %s |\n", code(Short(d.Test)), d.Stock, d.Tightlip, status, cell(excerpt))
		}
	}
	if len(c.Stale) > 0 {
		p("\nAllow-listed in %s but no longer different (remove these lines):\n\n", in.Expected)
		for _, e := range c.Stale {
			p("- %s (line %d)\n", code(Short(e.Test)), e.Line)
		}
	}

	if len(c.NotReproduced) > 0 {
		p("\n## Not reproduced in a rerun (flaky)\n\n")
		p("These differed in the first runs; their cases were run again against both frontends and then gave the same\n" +
			"outcomes with both, so they do not fail the check. The counts above are those of the first runs.\n\n")
		p("| test | stock | tightlip | stock, rerun | tightlip, rerun | why the first run did not pass |\n|---|---|---|---|---|---|\n")
		for _, f := range c.NotReproduced {
			p("| %s | %s | %s | %s | %s | %s |\n", code(Short(f.Test)), f.Stock, f.Tightlip, f.RerunStock, f.RerunTightlip, cell(f.Excerpt))
		}
	}
	p("\n## Failing with both frontends: environment limits\n\n")
	if len(c.BothFail) == 0 {
		p("None.\n")
	} else {
		p("These fail on this machine whatever the frontend, so they say nothing about tightlip (reasons: docs/compatibility.md).\n\n")
		p("| test | reason |\n|---|---|\n")
		for _, name := range c.BothFail {
			reason, ok := in.Limits[name]
			if !ok {
				reason = "not yet explained: " + in.Stock.Explain(name)
			}
			p("| %s | %s |\n", code(Short(name)), cell(reason))
		}
	}

	p("\n## Skipped with both frontends\n\n")
	if len(c.BothSkip) == 0 {
		p("None.\n")
	} else {
		p("| test | skip reason |\n|---|---|\n")
		for _, name := range c.BothSkip {
			p("| %s | %s |\n", code(Short(name)), cell(in.Stock.Explain(name)))
		}
	}
	return b.String()
}

func duration(sec float64) string {
	if sec <= 0 {
		return "-"
	}
	return (time.Duration(sec) * time.Second).String()
}

func code(s string) string { return "`" + s + "`" }

// cell makes text safe for a markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
