package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Outcome is how a test ended in one run.
type Outcome string

const (
	Pass Outcome = "pass"
	Fail Outcome = "fail"
	Skip Outcome = "skip"
	// Unfinished: the test started and the run ended without its result (crash, timeout, kill).
	Unfinished Outcome = "unfinished"
	// Missing: the test is not in this run at all (only ever the other run's counterpart).
	Missing Outcome = "missing"
)

// maxOutputLines bounds the output kept per test; failure logs of the suite include whole daemon logs.
const maxOutputLines = 400

// Test is one test of a run.
type Test struct {
	Name    string
	Outcome Outcome
	Elapsed float64
	output  []string
	// panic is a panic of the frontend under test, from the daemon log the suite prints for a failed
	// test, with the first function of the frontend's own code on its stack.
	panic, panicAt string
}

// Run is one run of the suite, read from its test2json events.
type Run struct {
	Tests   map[string]*Test
	Seconds float64 // wall time, set by the caller
	// Fatal is the first line that ended the test binary early (a panic, a timeout), if any.
	Fatal string
}

// event is a test2json event (cmd/test2json).
type event struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// ReadRun reads a test2json event stream. Lines that are not JSON events (stray output) are ignored.
func ReadRun(r io.Reader) (*Run, error) {
	run := &Run{Tests: map[string]*Test{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil {
			continue
		}
		if ev.Action == "output" && run.Fatal == "" && fatalLine.MatchString(ev.Output) {
			run.Fatal = strings.TrimSpace(ev.Output)
		}
		if ev.Test == "" {
			continue
		}
		t := run.Tests[ev.Test]
		if t == nil {
			t = &Test{Name: ev.Test, Outcome: Unfinished}
			run.Tests[ev.Test] = t
		}
		switch ev.Action {
		case "pass", "fail", "skip":
			t.Outcome = Outcome(ev.Action)
			t.Elapsed = ev.Elapsed
		case "output":
			line := strings.TrimRight(ev.Output, "\n")
			t.notePanic(line)
			if len(t.output) < maxOutputLines && keepOutput(line) {
				t.output = append(t.output, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return run, nil
}

// Names returns the compared tests' names, sorted: every test below a top-level test. Top-level tests
// (TestIntegration) only aggregate their subtests.
func (r *Run) Names() []string {
	var names []string
	for name := range r.Tests {
		if strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// IsCase reports whether name is one of the suite's cases (what integration.Run starts, e.g.
// TestIntegration/TestAdd/worker=oci/frontend=gateway) rather than a subtest a case runs itself: its
// nearest ancestor in the run is the top-level test. A case's name holds slashes of its own, so
// ancestry is by the tests that exist, not by counting path elements.
func (r *Run) IsCase(name string) bool {
	if !strings.Contains(name, "/") {
		return false
	}
	for p := name; ; {
		p = p[:strings.LastIndex(p, "/")]
		if !strings.Contains(p, "/") {
			return true // reached the top-level test
		}
		if _, ok := r.Tests[p]; ok {
			return false
		}
	}
}

// Counts of outcomes.
type Counts struct {
	Total      int `json:"total"`
	Pass       int `json:"pass"`
	Fail       int `json:"fail"`
	Skip       int `json:"skip"`
	Unfinished int `json:"unfinished,omitempty"`
}

func (c *Counts) add(o Outcome) {
	c.Total++
	switch o {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Skip:
		c.Skip++
	default:
		c.Unfinished++
	}
}

func (r *Run) caseCounts() Counts {
	var c Counts
	for _, name := range r.Names() {
		if r.IsCase(name) {
			c.add(r.Tests[name].Outcome)
		}
	}
	return c
}

func (r *Run) subtestCounts() Counts {
	var c Counts
	for _, name := range r.Names() {
		if !r.IsCase(name) {
			c.add(r.Tests[name].Outcome)
		}
	}
	return c
}

func (r *Run) outcome(name string) Outcome {
	if t, ok := r.Tests[name]; ok {
		return t.Outcome
	}
	return Missing
}

// results is the machine-readable form of a run (testdata/compat/<frontend>.json).
type results struct {
	Frontend string             `json:"frontend"`
	Suite    string             `json:"suite,omitempty"`
	Cases    Counts             `json:"cases"`
	Subtests Counts             `json:"subtests"`
	Tests    map[string]Outcome `json:"tests"`
}

func (r *Run) resultsJSON(frontend, suite string) []byte {
	res := results{
		Frontend: frontend,
		Suite:    suite,
		Cases:    r.caseCounts(),
		Subtests: r.subtestCounts(),
		Tests:    map[string]Outcome{},
	}
	for _, name := range r.Names() {
		res.Tests[name] = r.Tests[name].Outcome
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		panic(err) // plain strings and ints only
	}
	return b.Bytes()
}

var (
	frontendPanic = regexp.MustCompile(`^\s+sandbox\.go:\d+: panic: (.*)$`)
	// Frames of frontend code that is not BuildKit's or Go's: the frontend's own.
	panicFrame = regexp.MustCompile(`^\s+sandbox\.go:\d+: ((?:github\.com|[a-z0-9.-]+\.[a-z]+)/[^\s(]+)\(`)
)

func (t *Test) notePanic(line string) {
	if t.panic == "" {
		if m := frontendPanic.FindStringSubmatch(line); m != nil {
			t.panic = m[1]
		}
		return
	}
	if t.panicAt == "" {
		if m := panicFrame.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], "github.com/moby/") {
			t.panicAt = m[1]
		}
	}
}

// keepOutput tells the lines worth keeping: what tests print is indented; the daemon logs the suite
// prints for a failed test (sandbox.go) are not kept.
func keepOutput(line string) bool {
	return (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && !sandboxLog.MatchString(line)
}

var (
	fatalLine  = regexp.MustCompile(`^(panic: |fatal error: |\*\*\* Test killed|\s*test timed out)`)
	sandboxLog = regexp.MustCompile(`^\s+sandbox\.go:\d+: `)
	// A stack trace line in an error's text: "github.com/x/y.Func" or "/path/file.go:12".
	stackLine = regexp.MustCompile(`^(github\.com/|/|\S+\.go:\d+)`)
	// testify: "Error:      \tReceived unexpected error:" and its continuation lines.
	testifyError = regexp.MustCompile(`^\s*Error:\s*(.*)$`)
	testifyCont  = regexp.MustCompile(`^\s+\t\s*(\S.*)$`)
	testifyField = regexp.MustCompile(`^\s*(Error Trace|Test|Messages):`)
	// t.Log/t.Fatal/t.Skip: "    file_test.go:123: message" (the daemon logs are not kept).
	goTestLine = regexp.MustCompile(`^\s+[\w.-]+\.go:\d+: (\S.*)$`)
	spaces     = regexp.MustCompile(`\s+`)
)

// Explain is a one-line summary of why the test failed or skipped: its own Excerpt, else that of its
// first subtest with the same outcome.
func (r *Run) Explain(name string) string {
	t, ok := r.Tests[name]
	if !ok {
		return ""
	}
	if s := t.Excerpt(); s != "" {
		if t.panic == "" {
			// The suite prints the daemon log (and so a frontend panic) once, for the case.
			for p := name; strings.Contains(p, "/"); {
				p = p[:strings.LastIndex(p, "/")]
				if a, ok := r.Tests[p]; ok && a.panic != "" {
					return (&Test{panic: a.panic, panicAt: a.panicAt}).Excerpt() + " " + s
				}
			}
		}
		return s
	}
	for _, sub := range r.Names() {
		if strings.HasPrefix(sub, name+"/") && r.Tests[sub].Outcome == t.Outcome {
			if s := r.Tests[sub].Excerpt(); s != "" {
				return strings.TrimPrefix(sub, name+"/") + ": " + s
			}
		}
	}
	return ""
}

// Excerpt is a one-line summary of why a test failed or skipped, from its output: testify's "Error:"
// block, else the last `file_test.go:N: message` line.
func (t *Test) Excerpt() string {
	var parts []string
	for i, line := range t.output {
		m := testifyError.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		parts = append(parts, m[1])
		for _, next := range t.output[i+1:] {
			if testifyField.MatchString(next) || len(parts) >= 4 {
				break
			}
			c := testifyCont.FindStringSubmatch(next)
			if c == nil || stackLine.MatchString(c[1]) {
				break
			}
			parts = append(parts, c[1])
		}
		break
	}
	if len(parts) == 0 {
		for _, line := range t.output {
			if m := goTestLine.FindStringSubmatch(line); m != nil {
				parts = []string{m[1]}
			}
		}
	}
	if t.panic != "" {
		p := "the frontend panicked: " + t.panic
		if t.panicAt != "" {
			p += " (in " + t.panicAt + ")"
		}
		parts = append([]string{p + ";"}, parts...)
	}
	s := strings.TrimSpace(spaces.ReplaceAllString(strings.Join(parts, " "), " "))
	if len(s) > 240 {
		s = s[:237] + "..."
	}
	return s
}

// Short is a test's name without the parts every case shares in this setup.
func Short(name string) string {
	s := strings.TrimPrefix(name, "TestIntegration/")
	s = strings.Replace(s, "/worker=oci/frontend=gateway", "", 1)
	return s
}

// Expected is one line of the allow-list: a deliberate difference and tightlip's outcome there.
type Expected struct {
	Test    string
	Outcome Outcome
	Reason  string
	Line    int
}

// ReadExpected parses the allow-list: `TEST OUTCOME REASON` per line, '#' comments and blank lines.
func ReadExpected(r io.Reader, name string) ([]Expected, error) {
	var list []Expected
	seen := map[string]int{}
	err := eachLine(r, func(n int, fields []string, rest string) error {
		if len(fields) < 3 {
			return fmt.Errorf("%s:%d: want TEST OUTCOME REASON", name, n)
		}
		o := Outcome(fields[1])
		if o != Pass && o != Fail && o != Skip {
			return fmt.Errorf("%s:%d: outcome %q is not pass, fail or skip", name, n, fields[1])
		}
		if prev, ok := seen[fields[0]]; ok {
			return fmt.Errorf("%s:%d: %s is already listed on line %d", name, n, fields[0], prev)
		}
		seen[fields[0]] = n
		list = append(list, Expected{Test: fields[0], Outcome: o, Reason: rest, Line: n})
		return nil
	}, 2)
	return list, err
}

// ReadLimits parses the list of known environment limits: `TEST REASON` per line.
func ReadLimits(r io.Reader, name string) (map[string]string, error) {
	m := map[string]string{}
	err := eachLine(r, func(n int, fields []string, rest string) error {
		if len(fields) < 2 {
			return fmt.Errorf("%s:%d: want TEST REASON", name, n)
		}
		if _, ok := m[fields[0]]; ok {
			return fmt.Errorf("%s:%d: %s is listed twice", name, n, fields[0])
		}
		m[fields[0]] = rest
		return nil
	}, 1)
	return m, err
}

// eachLine calls fn for every non-comment line with its fields and the text after the first `keep`
// fields.
func eachLine(r io.Reader, fn func(n int, fields []string, rest string) error, keep int) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		rest := ""
		if len(fields) > keep {
			rest = strings.Join(fields[keep:], " ")
		}
		if err := fn(n, fields, rest); err != nil {
			return err
		}
	}
	return sc.Err()
}
