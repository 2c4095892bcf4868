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
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
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
	summary, err := os.ReadFile(filepath.Join(o.out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| stock | 3 | 2 | 1 | 0 | 1/0/0 | 3m1s |",
		"| `TestB/invalidsyntax` | pass | fail | expected | pinned |",
		"| `TestC/security.insecure=granted` | no CAP_SYS_RESOURCE here |",
	} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("summary.md lacks %q:\n%s", want, summary)
		}
	}
}
