package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tightlip/tightlip/internal/report"
	"github.com/tightlip/tightlip/internal/version"
)

// informationURI is the project's home, named in SARIF output.
const informationURI = "https://github.com/tightlip/tightlip"

// format is the --format flag: text (the default), json or sarif.
type format string

const (
	formatText  format = "text"
	formatJSON  format = "json"
	formatSARIF format = "sarif"
)

func (f *format) String() string { return string(*f) }

func (f *format) Set(s string) error {
	switch format(s) {
	case formatText, formatJSON, formatSARIF:
		*f = format(s)
		return nil
	}
	return fmt.Errorf("want text, json or sarif, got %q", s)
}

func formatFlag(fs *flag.FlagSet) *format {
	f := formatText
	fs.Var(&f, "format", "output `FORMAT`: text, json or sarif (SARIF 2.1.0 for code scanning)")
	return &f
}

func newReport(command string) *report.Report {
	return &report.Report{Tool: report.Tool{Name: "tightlip", Version: version.String(), InformationURI: informationURI, Command: command}}
}

// write prints the report on stdout in the format; text output ends with a summary on stderr.
func write(f format, rep *report.Report, stdout, stderr io.Writer, uriBaseID string, summary string) error {
	switch f {
	case formatJSON:
		return report.WriteJSON(stdout, rep)
	case formatSARIF:
		return report.WriteSARIF(stdout, rep, uriBaseID)
	}
	writeText(stdout, rep)
	fmt.Fprintln(stderr, summary)
	return nil
}

// counts says "2 errors, 1 warning" (infos only when there are some), or "no findings".
func counts(s report.Summary) string {
	if s.Errors+s.Warnings+s.Infos+s.Suppressed == 0 {
		return "no findings"
	}
	out := plural(s.Errors, "error") + ", " + plural(s.Warnings, "warning")
	if s.Infos > 0 {
		out += ", " + strconv.Itoa(s.Infos) + " info"
	}
	if s.Suppressed > 0 {
		out += ", " + strconv.Itoa(s.Suppressed) + " let through by policy exceptions"
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// maxSnippet is the longest source line shown, in characters.
const maxSnippet = 160

// writeText writes the findings like a compiler: a "file:line:col: severity rule name: message" line,
// the (masked) source line with the finding's range underlined, then what else helps: the layer,
// the fix, the rule's documentation.
func writeText(w io.Writer, rep *report.Report) {
	for _, f := range rep.Files {
		for _, n := range f.Notes {
			fmt.Fprintf(w, "%s: note: %s\n", f.Path, n)
		}
		for _, fd := range f.Findings {
			loc := f.Path
			var line, col, endCol int
			if r := fd.Range; r != nil && r.Start.Line > 0 {
				line, col = r.Start.Line, r.Start.Column
				loc += ":" + strconv.Itoa(line)
				if col > 0 {
					loc += ":" + strconv.Itoa(col)
					endCol = len(fd.Snippet) + 1
					if r.End.Line == r.Start.Line && r.End.Column > col {
						endCol = r.End.Column
					}
				}
			}
			severity := fd.Severity
			if fd.Suppression != nil {
				severity = "suppressed " + severity
			}
			fmt.Fprintf(w, "%s: %s %s %s: %s\n", loc, severity, fd.RuleID, fd.RuleName, fd.Message)
			// The margin of the lines under the header: "  2 | source", "    | ^^^", "    = help: …".
			gutter := "  " + strings.Repeat(" ", len(strconv.Itoa(line))) + " "
			if fd.Snippet != "" && line > 0 {
				writeSnippet(w, gutter, line, fd.Snippet, col, endCol)
			}
			if l := fd.Layer; l != nil {
				what := "layer " + strconv.Itoa(l.Index) + " " + shortDigest(l.Digest, l.DiffID)
				if l.CreatedBy != "" && fd.Snippet == "" {
					what += ": " + clip(l.CreatedBy, maxSnippet)
				}
				fmt.Fprintf(w, "%s= %s\n", gutter, what)
			}
			if l := fd.RemovedIn; l != nil {
				what := "removed by layer " + strconv.Itoa(l.Index) + " " + shortDigest(l.Digest, l.DiffID)
				if l.CreatedBy != "" {
					what += ": " + clip(l.CreatedBy, maxSnippet)
				}
				fmt.Fprintf(w, "%s= %s\n", gutter, what)
			}
			if s := fd.Suppression; s != nil {
				fmt.Fprintf(w, "%s= let through by the exception at %s until %s: %s\n", gutter, s.Policy, s.Expires, s.Reason)
			}
			if fd.Fix != "" && fd.Suppression == nil {
				fmt.Fprintf(w, "%s= fix: %s\n", gutter, fd.Fix)
			}
			if fd.Doc != "" {
				fmt.Fprintf(w, "%s= help: %s\n", gutter, fd.Doc)
			}
		}
	}
}

// writeSnippet writes a source line and, when col > 0, a caret line under columns [col, endCol).
func writeSnippet(w io.Writer, gutter string, line int, text string, col, endCol int) {
	text = strings.TrimRight(text, "\r\n")
	fmt.Fprintf(w, "  %d | %s\n", line, clip(text, max(maxSnippet, endCol)))
	if col < 1 {
		return
	}
	start := col - 1
	if start > len(text) {
		return
	}
	if start == 0 && endCol-1 >= len(text) {
		// A whole line: underline what is written on it.
		start = len(text) - len(strings.TrimLeft(text, " \t"))
	}
	end := min(max(endCol-1, start+1), len(text))
	var b strings.Builder
	for _, r := range text[:start] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteString(strings.Repeat("^", max(utf8.RuneCountInString(text[start:end]), 1)))
	fmt.Fprintf(w, "%s| %s\n", gutter, b.String())
}

// clip shortens s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// shortDigest shows a digest's first 12 hex digits.
func shortDigest(digest, diffID string) string {
	d := digest
	if d == "" {
		d = diffID
	}
	if alg, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 {
		return alg + ":" + hex[:12]
	}
	return d
}

// sarifPath makes a path relative to the working directory when it lies under it, so that code
// scanning can match it with the repository's files.
func sarifPath(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// parseArgs parses flags that may come before, between or after the positional arguments, and
// returns the positional ones; it returns an exit code when the command must stop (help or a bad
// flag). Everything after "--" is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, true
			}
			return nil, exitUsage, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		// flag stops at "--" (consumed) or at the first positional argument.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
