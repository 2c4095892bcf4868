// Command compatreport compares two runs of BuildKit's Dockerfile test suite, one against the stock
// frontend image and one against tightlip's, and fails when they differ in a way the allow-list does
// not explain.
//
// It reads the `go test -json` event streams of both runs (test2json) and writes
//
//	OUT/stock.json, OUT/tightlip.json   every test → pass, fail or skip, and the counts
//	OUT/summary.md                      counts, run times, differences, environment limits, skips
//
// It exits 1 when a test's outcome differs between the runs and the difference is not in the
// allow-list, when an allow-listed difference no longer occurs (or tightlip's outcome is not the one
// listed), and when a run is incomplete (a test started and never finished, or no test ran at all).
//
//	compatreport -stock stock.events -tightlip tightlip.events \
//	  -expected testdata/compat/expected-differences.txt \
//	  -limits testdata/compat/environment-limits.txt -out testdata/compat
//
// Some of the suite's tests depend on timing, so an unexpected difference is confirmed by a rerun of its
// case before it fails the check. -rerun-list FILE writes the cases to rerun, one per line (the cases of
// the differences not in the allow-list). Given the events of a rerun of those cases against both
// frontends (-stock-rerun, -tightlip-rerun), a difference whose case then gives the same outcomes with
// both frontends is reported as not reproduced and does not fail the check; the first runs remain the
// basis of the results and the counts.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	var o options
	flag.StringVar(&o.stockEvents, "stock", "", "test2json events of the run against the stock frontend")
	flag.StringVar(&o.tightlipEvents, "tightlip", "", "test2json events of the run against tightlip")
	flag.StringVar(&o.expected, "expected", "", "allow-list of expected differences (TEST OUTCOME REASON per line)")
	flag.StringVar(&o.limits, "limits", "", "known environment limits (TEST REASON per line), for the summary")
	flag.StringVar(&o.out, "out", "", "directory for stock.json, tightlip.json and summary.md")
	flag.Float64Var(&o.stockSeconds, "stock-seconds", 0, "wall time of the stock run")
	flag.Float64Var(&o.tightlipSeconds, "tightlip-seconds", 0, "wall time of the tightlip run")
	flag.StringVar(&o.suite, "suite", "", "what ran, for the reports (module@version and -test.run pattern)")
	flag.Var(&o.notes, "note", "a line for the summary's header (repeatable)")
	flag.StringVar(&o.rerunList, "rerun-list", "", "write the cases to rerun (those of the differences not in the allow-list) to this file, one per line")
	flag.StringVar(&o.stockRerun, "stock-rerun", "", "test2json events of a rerun of those cases against the stock frontend")
	flag.StringVar(&o.tightlipRerun, "tightlip-rerun", "", "test2json events of a rerun of those cases against tightlip")
	flag.Parse()
	if o.stockEvents == "" || o.tightlipEvents == "" || o.expected == "" || o.out == "" ||
		(o.stockRerun == "") != (o.tightlipRerun == "") {
		fmt.Fprintln(os.Stderr, "usage: compatreport -stock FILE -tightlip FILE -expected FILE [-limits FILE] -out DIR\n"+
			"       [-rerun-list FILE] [-stock-rerun FILE -tightlip-rerun FILE]")
		os.Exit(2)
	}
	problems, err := run(o, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "compatreport: %v\n", err)
		os.Exit(2)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "\ncompatibility check FAILED (%d problem(s)):\n", len(problems))
		const show = 30
		for i, p := range problems {
			if i == show {
				fmt.Fprintf(os.Stderr, "  ... and %d more: see %s\n", len(problems)-show, filepath.Join(o.out, "summary.md"))
				break
			}
			fmt.Fprintf(os.Stderr, "  - %s\n", p)
		}
		fmt.Fprintf(os.Stderr, "\nA difference that is deliberate goes into %s with tightlip's outcome and a one-line reason\n"+
			"(and a row in docs/compatibility.md); anything else is a tightlip bug.\n", o.expected)
		os.Exit(1)
	}
}

type options struct {
	stockEvents, tightlipEvents string
	expected, limits, out       string
	stockSeconds                float64
	tightlipSeconds             float64
	suite                       string
	notes                       stringList
	// rerunList receives the cases to rerun; stockRerun and tightlipRerun are the events of that rerun.
	rerunList, stockRerun, tightlipRerun string
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, "; ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// run does the work of main and returns the problems that fail the check.
func run(o options, stdout io.Writer) ([]string, error) {
	stock, err := readRunFile(o.stockEvents)
	if err != nil {
		return nil, err
	}
	tightlip, err := readRunFile(o.tightlipEvents)
	if err != nil {
		return nil, err
	}
	stock.Seconds, tightlip.Seconds = o.stockSeconds, o.tightlipSeconds
	expected, err := readExpectedFile(o.expected)
	if err != nil {
		return nil, err
	}
	var limits map[string]string
	if o.limits != "" {
		if limits, err = readLimitsFile(o.limits); err != nil {
			return nil, err
		}
	}

	cmp := compare(stock, tightlip, expected)
	if o.rerunList != "" {
		var list []byte
		for _, k := range cmp.RerunCases(stock, tightlip) {
			list = append(list, k+"\n"...)
		}
		if err := writeFile(o.rerunList, list); err != nil {
			return nil, err
		}
	}
	if o.stockRerun != "" {
		stockRerun, err := readRunFile(o.stockRerun)
		if err != nil {
			return nil, err
		}
		tightlipRerun, err := readRunFile(o.tightlipRerun)
		if err != nil {
			return nil, err
		}
		cmp.confirm(stock, tightlip, stockRerun, tightlipRerun, expected)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, err
	}
	for name, r := range map[string]*Run{"stock": stock, "tightlip": tightlip} {
		if err := writeFile(filepath.Join(o.out, name+".json"), r.resultsJSON(name, o.suite)); err != nil {
			return nil, err
		}
	}
	summary := renderSummary(summaryInput{
		Stock: stock, Tightlip: tightlip, Cmp: cmp, Limits: limits,
		Suite: o.suite, Notes: o.notes, Expected: o.expected,
	})
	if err := writeFile(filepath.Join(o.out, "summary.md"), []byte(summary)); err != nil {
		return nil, err
	}

	c, t := stock.caseCounts(), tightlip.caseCounts()
	fmt.Fprintf(stdout, "stock:    %d tests: %d passed, %d failed, %d skipped\n", c.Total, c.Pass, c.Fail, c.Skip)
	fmt.Fprintf(stdout, "tightlip: %d tests: %d passed, %d failed, %d skipped\n", t.Total, t.Pass, t.Fail, t.Skip)
	rerun := ""
	if cmp.Reran {
		rerun = fmt.Sprintf(", %d not reproduced in a rerun", len(cmp.NotReproduced))
	}
	fmt.Fprintf(stdout, "differences: %d expected, %d unexpected%s; failing in both runs (environment limits): %d\n",
		len(cmp.Expected), len(cmp.Unexpected), rerun, len(cmp.BothFail))
	for _, d := range cmp.Expected {
		fmt.Fprintf(stdout, "  expected:   %s: stock %s, tightlip %s (%s)\n", d.Test, d.Stock, d.Tightlip, d.Reason)
	}
	for i, d := range cmp.Unexpected {
		if i == 30 {
			fmt.Fprintf(stdout, "  ... and %d more unexpected\n", len(cmp.Unexpected)-i)
			break
		}
		fmt.Fprintf(stdout, "  UNEXPECTED: %s: stock %s, tightlip %s\n", d.Test, d.Stock, d.Tightlip)
	}
	for _, f := range cmp.NotReproduced {
		fmt.Fprintf(stdout, "  NOT REPRODUCED (flaky): %s: stock %s, tightlip %s; rerun: stock %s, tightlip %s\n",
			f.Test, f.Stock, f.Tightlip, f.RerunStock, f.RerunTightlip)
		if f.Excerpt != "" {
			fmt.Fprintf(stdout, "      %s\n", f.Excerpt)
		}
	}
	for _, name := range cmp.BothFail {
		if _, ok := limits[name]; !ok && limits != nil {
			fmt.Fprintf(stdout, "  note: %s fails in both runs and is not in %s\n", name, o.limits)
		}
	}
	for name := range limits {
		if stock.Tests[name] != nil && stock.Tests[name].Outcome != Fail {
			fmt.Fprintf(stdout, "  note: %s is listed in %s but %ss with the stock frontend now\n", name, o.limits, stock.Tests[name].Outcome)
		}
	}
	fmt.Fprintf(stdout, "wrote %s\n", strings.Join([]string{
		filepath.Join(o.out, "stock.json"), filepath.Join(o.out, "tightlip.json"), filepath.Join(o.out, "summary.md"),
	}, ", "))
	return cmp.problems(stock, tightlip), nil
}

func readRunFile(path string) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ReadRun(f)
	if err != nil {
		return nil, fmt.Errorf("reading test events %s: %w", path, err)
	}
	return r, nil
}

func readExpectedFile(path string) ([]Expected, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadExpected(f, path)
}

func readLimitsFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimits(f, path)
}

func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
