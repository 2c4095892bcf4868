package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	caseA = "TestIntegration/TestA/worker=oci/frontend=gateway"
	caseB = "TestIntegration/TestB/worker=oci/frontend=gateway"
	caseC = "TestIntegration/TestC/worker=oci/frontend=gateway/security.insecure=granted"
	subB  = caseB + "/invalidsyntax"
)

// events builds a test2json stream: each entry is "ACTION NAME" or "output NAME TEXT".
func events(lines ...string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, l := range lines {
		action, rest, _ := strings.Cut(l, " ")
		name, text, _ := strings.Cut(rest, " ")
		ev := map[string]any{"Action": action}
		if name != "-" {
			ev["Test"] = name
		}
		if action == "output" {
			ev["Output"] = text + "\n"
		}
		if err := enc.Encode(ev); err != nil {
			panic(err)
		}
	}
	return b.String()
}

func mustRun(t *testing.T, stream string) *Run {
	t.Helper()
	r, err := ReadRun(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReadRunOutcomesAndCases(t *testing.T) {
	r := mustRun(t, events(
		"run TestIntegration",
		"run "+caseA, "pass "+caseA,
		"run "+caseB, "run "+subB, "fail "+subB, "fail "+caseB,
		"run "+caseC, "skip "+caseC,
		"fail TestIntegration",
		"output - not json-worthy",
	)+"stray line that is not an event\n")
	want := map[string]Outcome{caseA: Pass, caseB: Fail, subB: Fail, caseC: Skip}
	for name, o := range want {
		if got := r.outcome(name); got != o {
			t.Errorf("%s: outcome %s, want %s", name, got, o)
		}
	}
	if got := r.Names(); len(got) != 4 {
		t.Errorf("Names() = %v, want the 4 tests below TestIntegration", got)
	}
	for name, isCase := range map[string]bool{caseA: true, caseB: true, caseC: true, subB: false, "TestIntegration": false} {
		if got := r.IsCase(name); got != isCase {
			t.Errorf("IsCase(%s) = %v, want %v", name, got, isCase)
		}
	}
	if c := r.caseCounts(); c != (Counts{Total: 3, Pass: 1, Fail: 1, Skip: 1}) {
		t.Errorf("caseCounts() = %+v", c)
	}
	if c := r.subtestCounts(); c != (Counts{Total: 1, Fail: 1}) {
		t.Errorf("subtestCounts() = %+v", c)
	}
}

func TestReadRunUnfinishedAndFatal(t *testing.T) {
	r := mustRun(t, events(
		"run TestIntegration",
		"run "+caseA, "pass "+caseA,
		"run "+caseB,
		"output "+caseB+" panic: runtime error: invalid memory address or nil pointer dereference",
	))
	if got := r.outcome(caseB); got != Unfinished {
		t.Errorf("outcome = %s, want unfinished", got)
	}
	if !strings.HasPrefix(r.Fatal, "panic: runtime error") {
		t.Errorf("Fatal = %q", r.Fatal)
	}
	probs := compare(r, r, nil).problems(r, r)
	if len(probs) != 2 || !strings.Contains(probs[0], "did not finish: 1 test(s)") || !strings.Contains(probs[0], "panic: runtime error") {
		t.Errorf("problems = %q", probs)
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		output []string
		want   string
	}{{
		name: "testify error without the stack",
		output: []string{
			"    dockerfile_test.go:778: ",
			"        \tError Trace:\t/src/frontend/dockerfile/dockerfile_test.go:778",
			"        \tError:      \tReceived unexpected error:",
			"        \t            \tprocess \"/bin/sh -c apk add git\" did not complete successfully: exit code: 127",
			"        \t            \tgithub.com/moby/buildkit/util/stack.Enable",
			"        \tTest:       \tTestIntegration/TestAddGitSHA1",
		},
		want: `Received unexpected error: process "/bin/sh -c apk add git" did not complete successfully: exit code: 127`,
	}, {
		name: "not equal",
		output: []string{
			"        \tError:      \tNot equal: ",
			"        \t            \texpected: \"1000 nobody\\n\"",
			"        \t            \tactual  : \"1000 UNKNOWN\\n\"",
			"        \t            \tDiff:",
			"        \t            \t--- Expected",
		},
		want: `Not equal: expected: "1000 nobody\n" actual : "1000 UNKNOWN\n" Diff:`,
	}, {
		name: "skip reason, daemon logs ignored",
		output: []string{
			"    sandbox.go:205: time=\"...\" level=debug msg=noise",
			"    dockerfile_test.go:1200: test requires containerd worker",
		},
		want: "test requires containerd worker",
	}, {
		name: "frontend panic from the daemon log",
		output: []string{
			"    sandbox.go:205: panic: assignment to entry in nil map",
			"    sandbox.go:205: goroutine 1 [running]:",
			"    sandbox.go:205: github.com/moby/buildkit/frontend/dockerfile/linter.(*Linter).WithMergedConfig(0x1, 0x2)",
			"    sandbox.go:205: github.com/tightlip/tightlip/model.ParseArgs({0xf00d40, 0xa})",
			"        \tError:      \tReceived unexpected error:",
			"        \t            \texit code: 2",
		},
		want: "the frontend panicked: assignment to entry in nil map (in github.com/tightlip/tightlip/model.ParseArgs); Received unexpected error: exit code: 2",
	}, {
		name:   "nothing to say",
		output: []string{"    dockerfile_client_test.go:27: "},
		want:   "",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var lines []string
			for _, l := range tc.output {
				lines = append(lines, "output "+caseA+" "+l)
			}
			r := mustRun(t, events(append(append([]string{"run " + caseA}, lines...), "fail "+caseA)...))
			if got := r.Tests[caseA].Excerpt(); got != tc.want {
				t.Errorf("Excerpt() = %q\nwant        %q", got, tc.want)
			}
		})
	}
}

func TestExplainFallsBackToSubtest(t *testing.T) {
	r := mustRun(t, events(
		"run "+caseB, "run "+subB,
		"output "+subB+"         \tError:      \tAn error is expected but got nil.",
		"fail "+subB, "fail "+caseB,
	))
	if got, want := r.Explain(caseB), "invalidsyntax: An error is expected but got nil."; got != want {
		t.Errorf("Explain() = %q, want %q", got, want)
	}
}

func TestReadExpected(t *testing.T) {
	list, err := ReadExpected(strings.NewReader("# comment\n\n"+subB+" fail tightlip pins itself\n"), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0] != (Expected{Test: subB, Outcome: Fail, Reason: "tightlip pins itself", Line: 3}) {
		t.Errorf("ReadExpected = %+v", list)
	}
	for _, bad := range []string{
		subB + " fail\n",                                 // no reason
		subB + " broken because\n",                       // not an outcome
		subB + " fail one\n" + subB + " fail the same\n", // listed twice
	} {
		if _, err := ReadExpected(strings.NewReader(bad), "x.txt"); err == nil {
			t.Errorf("ReadExpected(%q): no error", bad)
		}
	}
}

func TestCompare(t *testing.T) {
	stock := mustRun(t, events(
		"pass "+caseA,               // same: ignored
		"pass "+caseB, "pass "+subB, // differs: allow-listed
		"fail "+caseC, // both fail: environment limit
		"pass TestIntegration/TestD/worker=oci/frontend=gateway", // differs: not listed
		"pass TestIntegration/TestE/worker=oci/frontend=gateway", // listed with the wrong outcome
	))
	tightlip := mustRun(t, events(
		"pass "+caseA,
		"fail "+caseB, "fail "+subB,
		"fail "+caseC,
		"fail TestIntegration/TestD/worker=oci/frontend=gateway",
		"fail TestIntegration/TestE/worker=oci/frontend=gateway",
	))
	expected := []Expected{
		{Test: caseB, Outcome: Fail, Reason: "pinned", Line: 1},
		{Test: subB, Outcome: Fail, Reason: "pinned", Line: 2},
		{Test: "TestIntegration/TestE/worker=oci/frontend=gateway", Outcome: Skip, Reason: "wrong", Line: 3},
		{Test: caseA, Outcome: Fail, Reason: "stale", Line: 4},
	}
	c := compare(stock, tightlip, expected)
	if len(c.Expected) != 2 || len(c.Unexpected) != 2 || len(c.Stale) != 1 || len(c.BothFail) != 1 {
		t.Fatalf("compare: expected %d, unexpected %d, stale %d, both-fail %d", len(c.Expected), len(c.Unexpected), len(c.Stale), len(c.BothFail))
	}
	probs := c.problems(stock, tightlip)
	want := []string{
		"TestD/worker=oci/frontend=gateway: stock pass, tightlip fail (not in the allow-list)",
		"TestE/worker=oci/frontend=gateway: stock pass, tightlip fail (the allow-list, line 3, expects tightlip to skip)",
		caseA + " is allow-listed (line 4: tightlip fail) but both runs now give pass: remove the line",
	}
	if len(probs) != len(want) {
		t.Fatalf("problems = %q", probs)
	}
	for i := range want {
		if !strings.Contains(probs[i], want[i]) {
			t.Errorf("problem %d = %q, want it to contain %q", i, probs[i], want[i])
		}
	}
}

func TestCompareRuleRefusals(t *testing.T) {
	stock := mustRun(t, events("pass "+caseA, "pass "+caseB, "pass "+subB))
	tightlip := mustRun(t, events(
		"fail "+caseA,
		"output "+caseA+"         \tError:      \tpanic: assignment to entry in nil map",
		"output "+subB+"         \tError:      \tDockerfile:3: TL101 secret-env: ENV X stores a credential",
		"fail "+subB, "fail "+caseB,
	))
	expected := []Expected{
		{Test: caseA, Outcome: Fail, Reason: "refused by TL101 secret-env", Line: 1},
		{Test: caseB, Outcome: Fail, Reason: "refused by TL101 secret-env (subtest)", Line: 2},
		{Test: subB, Outcome: Fail, Reason: "refused by TL102 or TL101", Line: 3},
	}
	c := compare(stock, tightlip, expected)
	if len(c.Expected) != 2 || len(c.Unexpected) != 1 || c.Unexpected[0].Test != caseA {
		t.Fatalf("expected %+v, unexpected %+v", c.Expected, c.Unexpected)
	}
	if p := c.problems(stock, tightlip); len(p) != 1 || !strings.Contains(p[0], "puts it down to TL101, which tightlip's output does not name") {
		t.Errorf("problems = %q", p)
	}
}

func TestRunWritesResults(t *testing.T) {
	dir := t.TempDir()
	write := fileWriter(t, dir)
	o := options{
		stockEvents:    write("stock.events", events("pass "+caseA, "pass "+caseB, "pass "+subB, "fail "+caseC)),
		tightlipEvents: write("tightlip.events", events("pass "+caseA, "fail "+caseB, "fail "+subB, "fail "+caseC)),
		expected:       write("expected.txt", fmt.Sprintf("%s fail pinned\n%s fail pinned\n", caseB, subB)),
		limits:         write("limits.txt", caseC+" no CAP_SYS_RESOURCE here\n"),
		out:            filepath.Join(dir, "out"),
		stockSeconds:   181,
	}
	probs, err := run(o, io.Discard)
	if err != nil || len(probs) != 0 {
		t.Fatalf("run: %v, problems %q", err, probs)
	}
	var res results
	data, err := os.ReadFile(filepath.Join(o.out, "tightlip.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Frontend != "tightlip" || res.Cases != (Counts{Total: 3, Pass: 1, Fail: 2}) || res.Tests[subB] != Fail {
		t.Errorf("tightlip.json = %s", data)
	}
	assertContains(t, "summary.md", readFile(t, filepath.Join(o.out, "summary.md")),
		"| stock | 3 | 2 | 1 | 0 | 1/0/0 | 3m1s |",
		"| `TestB/invalidsyntax` | pass | fail | expected | pinned |",
		"| `TestC/security.insecure=granted` | no CAP_SYS_RESOURCE here |")
}

// fileWriter returns a function that writes a file into dir and returns its path.
func fileWriter(t *testing.T, dir string) func(name, text string) string {
	return func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// assertContains reports each of wants that text (named what) lacks.
func assertContains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}

func TestRerunCases(t *testing.T) {
	subC := caseC + "/inner"
	stock := mustRun(t, events(
		"fail "+caseA,               // differs, not listed: rerun
		"pass "+caseB, "pass "+subB, // both differ: one case to rerun
		"pass "+caseC, "pass "+subC, // a subtest of a case with a matrix value
		"pass TestIntegration/TestE/worker=oci/frontend=gateway", // listed with another outcome: not rerun
		"pass TestIntegration/TestF/worker=oci/frontend=gateway", // expected: not rerun
	))
	tightlip := mustRun(t, events(
		"pass "+caseA,
		"fail "+caseB, "fail "+subB,
		"pass "+caseC, "fail "+subC,
		"fail TestIntegration/TestE/worker=oci/frontend=gateway",
		"fail TestIntegration/TestF/worker=oci/frontend=gateway",
	))
	expected := []Expected{
		{Test: "TestIntegration/TestE/worker=oci/frontend=gateway", Outcome: Skip, Reason: "wrong", Line: 1},
		{Test: "TestIntegration/TestF/worker=oci/frontend=gateway", Outcome: Fail, Reason: "deliberate", Line: 2},
	}
	got := compare(stock, tightlip, expected).RerunCases(stock, tightlip)
	want := []string{caseA, caseB, caseC}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("RerunCases() = %q, want %q", got, want)
	}
}

func TestConfirmByRerun(t *testing.T) {
	const (
		subA   = caseA + "/new"
		otherB = caseB + "/other"
	)
	// First runs: TestA and its subtest new fail with the stock frontend only.
	flakyStock := events("run "+caseA, "run "+subA,
		"output "+subA+"         \tError:      \tnot enough data was transferred, 33 < 4096000",
		"fail "+subA, "fail "+caseA)
	flakyTightlip := events("run "+caseA, "run "+subA, "pass "+subA, "pass "+caseA)
	for _, tc := range []struct {
		name                string
		stock, tightlip     string // first runs
		stockRe, tightlipRe string // reruns
		expected            []Expected
		notReproduced       []string
		problems            []string // each problem contains its entry, in order
	}{{
		name:  "not reproduced",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:       events("pass "+subA, "pass "+caseA),
		tightlipRe:    events("pass "+subA, "pass "+caseA),
		notReproduced: []string{caseA, subA},
	}, {
		name:  "fails in both in the rerun: not reproduced either",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:       events("fail "+subA, "fail "+caseA),
		tightlipRe:    events("fail "+subA, "fail "+caseA),
		notReproduced: []string{caseA, subA},
	}, {
		name:  "reproduced",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:    events("fail "+subA, "fail "+caseA),
		tightlipRe: events("pass "+subA, "pass "+caseA),
		problems: []string{
			caseA + ": stock fail, tightlip pass (not in the allow-list); reproduced in the rerun: stock fail, tightlip pass",
			subA + ": stock fail, tightlip pass (not in the allow-list); reproduced in the rerun: stock fail, tightlip pass\n      not enough data",
		},
	}, {
		name:     "a subtest's difference is judged by its whole case",
		stock:    events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlip: events("fail "+subB, "pass "+otherB, "fail "+caseB),
		// subB agrees in the rerun, but otherB differs now: the case is not cleared.
		stockRe:    events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlipRe: events("pass "+subB, "fail "+otherB, "fail "+caseB),
		problems: []string{
			caseB + ": stock pass, tightlip fail (not in the allow-list); reproduced in the rerun: stock pass, tightlip fail",
			subB + ": stock pass, tightlip fail (not in the allow-list); its case differs again in the rerun: " + caseB + ": stock pass, tightlip fail",
		},
	}, {
		name:          "a subtest's difference, not reproduced",
		stock:         events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlip:      events("fail "+subB, "pass "+otherB, "fail "+caseB),
		stockRe:       events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlipRe:    events("pass "+subB, "pass "+otherB, "pass "+caseB),
		notReproduced: []string{caseB, subB},
	}, {
		name: "a flaky subtest in a case with an allow-listed difference",
		// subB differs on purpose (listed, with its case); otherB fails with tightlip once.
		stock:      events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlip:   events("fail "+subB, "fail "+otherB, "fail "+caseB),
		stockRe:    events("pass "+subB, "pass "+otherB, "pass "+caseB),
		tightlipRe: events("fail "+subB, "pass "+otherB, "fail "+caseB),
		expected: []Expected{
			{Test: caseB, Outcome: Fail, Reason: "pinned", Line: 1},
			{Test: subB, Outcome: Fail, Reason: "pinned", Line: 2},
		},
		notReproduced: []string{otherB},
	}, {
		name:  "the rerun lacks the case",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:    events("pass " + caseB),
		tightlipRe: events("pass " + caseB),
		problems: []string{
			caseA + ": stock fail, tightlip pass (not in the allow-list); its case did not run in the rerun (stock missing, tightlip missing)",
			subA + ": stock fail, tightlip pass (not in the allow-list); its case did not run in the rerun",
		},
	}, {
		name:  "the tightlip rerun lacks the case",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:    events("pass "+subA, "pass "+caseA),
		tightlipRe: events("pass " + caseB),
		problems: []string{
			caseA + ": stock fail, tightlip pass (not in the allow-list); its case did not run in the rerun (stock pass, tightlip missing)",
			subA + ": stock fail, tightlip pass (not in the allow-list); its case did not run in the rerun",
		},
	}, {
		name:  "a rerun that did not finish",
		stock: flakyStock, tightlip: flakyTightlip,
		// The case agrees, but another test of the stock rerun never reported a result.
		stockRe:    events("pass "+subA, "pass "+caseA, "run "+caseB),
		tightlipRe: events("pass "+subA, "pass "+caseA, "pass "+caseB),
		problems: []string{
			caseA + ": stock fail, tightlip pass (not in the allow-list); the stock rerun did not finish",
			subA + ": stock fail, tightlip pass (not in the allow-list); the stock rerun did not finish",
		},
	}, {
		name:  "a rerun whose test binary stopped",
		stock: flakyStock, tightlip: flakyTightlip,
		stockRe:    events("pass "+subA, "pass "+caseA),
		tightlipRe: events("pass "+subA, "pass "+caseA, "output - panic: test timed out after 30m0s"),
		problems: []string{
			caseA + ": stock fail, tightlip pass (not in the allow-list); the tightlip rerun did not finish",
			subA + ": stock fail, tightlip pass (not in the allow-list); the tightlip rerun did not finish",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			stock, tightlip := mustRun(t, tc.stock), mustRun(t, tc.tightlip)
			c := compare(stock, tightlip, tc.expected)
			c.confirm(stock, tightlip, mustRun(t, tc.stockRe), mustRun(t, tc.tightlipRe), tc.expected)
			var flaky []string
			for _, f := range c.NotReproduced {
				flaky = append(flaky, f.Test)
				if f.RerunStock != f.RerunTightlip {
					t.Errorf("%s: not reproduced with rerun outcomes stock %s, tightlip %s", f.Test, f.RerunStock, f.RerunTightlip)
				}
			}
			if strings.Join(flaky, "\n") != strings.Join(tc.notReproduced, "\n") {
				t.Errorf("not reproduced: %q, want %q", flaky, tc.notReproduced)
			}
			probs := c.problems(stock, tightlip)
			if len(probs) != len(tc.problems) {
				t.Fatalf("problems = %q, want %d", probs, len(tc.problems))
			}
			for i := range tc.problems {
				if !strings.Contains(probs[i], tc.problems[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, probs[i], tc.problems[i])
				}
			}
		})
	}
}

func TestConfirmKeepsAllowListProblems(t *testing.T) {
	caseE := "TestIntegration/TestE/worker=oci/frontend=gateway"
	stock := mustRun(t, events("pass "+caseE, "pass "+caseB, "pass "+subB))
	tightlip := mustRun(t, events("fail "+caseE, "fail "+caseB, "fail "+subB))
	// TestE is listed with another outcome, TestB as refused by a rule its output does not name; the
	// rerun agrees on both, which does not excuse the allow-list.
	expected := []Expected{
		{Test: caseE, Outcome: Skip, Reason: "wrong", Line: 1},
		{Test: caseB, Outcome: Fail, Reason: "refused by TL101 secret-env", Line: 2},
		{Test: subB, Outcome: Fail, Reason: "refused by TL101 secret-env", Line: 3},
	}
	rerun := mustRun(t, events("pass "+caseE, "pass "+caseB, "pass "+subB))
	c := compare(stock, tightlip, expected)
	if got := c.RerunCases(stock, tightlip); len(got) != 0 {
		t.Errorf("RerunCases() = %q, want none", got)
	}
	c.confirm(stock, tightlip, rerun, rerun, expected)
	if len(c.NotReproduced) != 0 || len(c.Unexpected) != 3 {
		t.Fatalf("not reproduced %+v, unexpected %+v", c.NotReproduced, c.Unexpected)
	}
	probs := c.problems(stock, tightlip)
	for i, want := range []string{
		"TestB/worker=oci/frontend=gateway: stock pass, tightlip fail (the allow-list, line 2, puts it down to TL101",
		"TestB/worker=oci/frontend=gateway/invalidsyntax: stock pass, tightlip fail (the allow-list, line 3, puts it down to TL101",
		"TestE/worker=oci/frontend=gateway: stock pass, tightlip fail (the allow-list, line 1, expects tightlip to skip)",
	} {
		if i >= len(probs) || !strings.Contains(probs[i], want) || strings.Contains(probs[i], "rerun") {
			t.Errorf("problems = %q, want %d: %q without a rerun note", probs, i, want)
		}
	}
}

func TestRunWithRerun(t *testing.T) {
	dir := t.TempDir()
	write := fileWriter(t, dir)
	subA := caseA + "/new"
	o := options{
		stockEvents: write("stock.events", events("pass "+caseB, "pass "+subB, "run "+caseA, "run "+subA,
			"output "+subA+"         \tError:      \tnot enough data was transferred, 33 < 4096000",
			"fail "+subA, "fail "+caseA)),
		tightlipEvents: write("tightlip.events", events("fail "+caseB, "fail "+subB, "pass "+subA, "pass "+caseA)),
		expected:       write("expected.txt", fmt.Sprintf("%s fail pinned\n%s fail pinned\n", caseB, subB)),
		out:            filepath.Join(dir, "out"),
		rerunList:      filepath.Join(dir, "rerun.txt"),
	}
	// The first comparison fails and names the case to rerun.
	probs, err := run(o, io.Discard)
	if err != nil || len(probs) != 2 {
		t.Fatalf("run: %v, problems %q", err, probs)
	}
	list, err := os.ReadFile(o.rerunList)
	if err != nil || string(list) != caseA+"\n" {
		t.Fatalf("rerun list %q (%v), want %q", list, err, caseA+"\n")
	}

	// The rerun of that case agrees: the check passes and says so.
	o.rerunList = ""
	o.stockRerun = write("stock.rerun", events("pass "+subA, "pass "+caseA))
	o.tightlipRerun = write("tightlip.rerun", events("pass "+subA, "pass "+caseA))
	var stdout strings.Builder
	probs, err = run(o, &stdout)
	if err != nil || len(probs) != 0 {
		t.Fatalf("run with the rerun: %v, problems %q", err, probs)
	}
	assertContains(t, "stdout", stdout.String(),
		"stock:    2 tests: 1 passed, 1 failed, 0 skipped",
		"differences: 2 expected, 0 unexpected, 2 not reproduced in a rerun;",
		"NOT REPRODUCED (flaky): "+subA+": stock fail, tightlip pass; rerun: stock pass, tightlip pass\n      not enough data was transferred, 33 < 4096000\n")
	assertContains(t, "summary.md", readFile(t, filepath.Join(o.out, "summary.md")),
		"| stock | 2 | 1 | 1 | 0 | 1/1/0 | - |",
		"## Not reproduced in a rerun (flaky)",
		"| `TestA/new` | fail | pass | pass | pass | not enough data was transferred, 33 < 4096000 |")
	var res results
	data, err := os.ReadFile(filepath.Join(o.out, "stock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Tests[caseA] != Fail {
		t.Errorf("stock.json has %s %s, want the first run's fail", caseA, res.Tests[caseA])
	}
}
