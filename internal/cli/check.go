package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/internal/report"
	"github.com/tightlip/tightlip/rules"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "[flags] PATH...", stderr)
	contextDir := fs.String("context", "", "build context `DIR` (after its .dockerignore) for COPY/ADD of directories and globs")
	buildArgs := newKeyValues()
	fs.Var(buildArgs, "build-arg", "build argument `NAME=VALUE` as passed to the build (repeatable); values are never printed")
	namedContexts := buildContexts{}
	fs.Var(namedContexts, "build-context", "named build context `NAME=VALUE` as passed to the build (repeatable): docker-image://REF, a directory, a URL …; the build policy's image rules check it")
	outFormat := formatFlag(fs)
	pf := policyFlags(fs)
	paths, code, stop := parseArgs(fs, args)
	if stop {
		return code
	}
	if buildArgs.errEmptyName != nil {
		fmt.Fprintf(stderr, "tightlip: --build-arg: %v\n", buildArgs.errEmptyName)
		return exitUsage
	}
	if len(paths) == 0 {
		fs.Usage()
		return exitUsage
	}
	files, err := dockerfiles(paths)
	if err != nil {
		fmt.Fprintf(stderr, "tightlip: %v\n", err)
		return exitUsage
	}
	opts := analysis.Options{BuildArgs: buildArgs.values, NamedContexts: namedContexts}
	if *contextDir != "" {
		if opts.Context, err = rules.NewFSContext(os.DirFS(*contextDir), ""); err != nil {
			fmt.Fprintf(stderr, "tightlip: build context %s: %v\n", *contextDir, err)
			return exitUsage
		}
	}

	rep := newReport("check")
	rep.Rules = reportRules()
	code = exitOK
	for _, name := range files {
		data, pol, err := pf.read(name)
		if err != nil {
			fmt.Fprintf(stderr, "tightlip: %v\n", err)
			code = exitUsage
			continue
		}
		opts.Policy = pol
		res, err := analysis.Analyze(name, data, opts)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = exitUsage
			continue
		}
		path := name
		if *outFormat == formatSARIF {
			path = sarifPath(name)
		}
		addFindings(rep.File(path), res)
		if len(res.Errors()) > 0 && code == exitOK {
			code = exitFindings
		}
	}
	summary := fmt.Sprintf("%s in %s", counts(rep.Summary()), plural(len(rep.Files), "file"))
	if err := write(*outFormat, rep, stdout, stderr, report.SourceRoot, summary); err != nil {
		fmt.Fprintf(stderr, "tightlip: %v\n", err)
		return exitUsage
	}
	return code
}

// addFindings adds an analysis's findings to a report file, with their source lines masked.
func addFindings(f *report.File, res *analysis.Result) {
	lines := strings.Split(string(res.Masked()), "\n")
	add := func(fd rules.Finding, sup *report.Suppression) {
		rf := report.Finding{
			RuleID: fd.Rule.ID, RuleName: fd.Rule.Name, Severity: fd.Severity.String(), Message: fd.Message,
			Range: findingRange(fd.Range, lines), Doc: analysis.DocURL(fd.Rule), Suppression: sup,
		}
		if rf.Range != nil {
			rf.Snippet = strings.TrimRight(lines[rf.Range.Start.Line-1], "\r")
		}
		if fd.Fix != nil {
			rf.Fix = fd.Fix.Message
		}
		f.Findings = append(f.Findings, rf)
	}
	for _, fd := range res.Findings {
		add(fd, nil)
	}
	for _, s := range res.Suppressed {
		add(s.Finding, &report.Suppression{Reason: s.Exception.Reason, Expires: s.Exception.ExpiresText, Policy: s.Exception.Origin.String()})
	}
	slices.SortStableFunc(f.Findings, func(a, b report.Finding) int { return line(a) - line(b) })
	for _, n := range res.Notes {
		note := n.Message
		if n.Range.Start.Line > 0 {
			note = fmt.Sprintf("line %d: %s", n.Range.Start.Line, note)
		}
		f.Notes = append(f.Notes, note)
	}
}

func line(fd report.Finding) int {
	if fd.Range == nil {
		return 0
	}
	return fd.Range.Start.Line
}

// reportRules lists every Dockerfile rule for a report.
func reportRules() []report.Rule {
	var out []report.Rule
	for _, r := range rules.All() {
		out = append(out, report.Rule{
			ID: r.ID, Name: r.Name, Severity: r.Severity.String(), Summary: r.Summary, Doc: r.Doc,
			HelpURI: analysis.DocURL(r), Tags: []string{"security", "credentials", "dockerfile"},
		})
	}
	return out
}

// findingRange converts a BuildKit range (0-based byte columns; both 0 for whole lines) to a report
// range (1-based columns, end exclusive); nil when it points nowhere in the file.
func findingRange(r parser.Range, lines []string) *report.Range {
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return nil
	}
	end := r.End
	if end.Line < r.Start.Line || end.Line > len(lines) || end.Line == r.Start.Line && end.Character < r.Start.Character {
		end = r.Start
	}
	out := &report.Range{
		Start: report.Position{Line: r.Start.Line, Column: r.Start.Character + 1},
		End:   report.Position{Line: end.Line, Column: end.Character + 1},
	}
	if r.Start.Character == 0 && r.End.Character == 0 { // whole lines
		out.End.Column = len(strings.TrimRight(lines[end.Line-1], "\r")) + 1
	}
	return out
}

// dockerfiles expands the paths: files are taken as they are, directories are searched for
// Dockerfile, *.Dockerfile and Dockerfile.* (hidden and vendored directories are skipped).
func dockerfiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			if isDockerfileName(name) && d.Type().IsRegular() {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no Dockerfile found", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, errors.New("no Dockerfile to check")
	}
	return out, nil
}

func isDockerfileName(name string) bool {
	return name == "Dockerfile" || name == "dockerfile" ||
		strings.HasSuffix(name, ".Dockerfile") || strings.HasSuffix(name, ".dockerfile") ||
		(strings.HasPrefix(name, "Dockerfile.") && !strings.HasSuffix(name, ".dockerignore"))
}
