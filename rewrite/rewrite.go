// Package rewrite applies the fixes that rules attach to their findings (text edits) to a Dockerfile.
//
// Inside a build the result must keep every line at its number, so that BuildKit's errors, warnings and
// source maps point at the user's lines: KeepLines pads an edit that removes lines with empty ones. For
// the source (tightlip fix), edits apply as they are.
package rewrite

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/rules"
)

// Mode says how edits that remove lines are applied.
type Mode int

const (
	// Source applies edits as they are: removed lines disappear (tightlip fix).
	Source Mode = iota
	// KeepLines pads every edit with newlines so that no line moves (the text BuildKit converts).
	KeepLines
)

// Fixes returns the edits of every finding's fix for which keep returns true.
func Fixes(findings []rules.Finding, keep func(rules.Finding) bool) []rules.Edit {
	var edits []rules.Edit
	for _, fd := range findings {
		if fd.Fix != nil && keep(fd) {
			edits = append(edits, fd.Fix.Edits...)
		}
	}
	return edits
}

// Apply returns src with the edits applied. Identical edits (two findings asking for the same change)
// apply once; insertions at one point apply in order; overlapping different edits are an error.
func Apply(src []byte, edits []rules.Edit, mode Mode) ([]byte, error) {
	if len(edits) == 0 {
		return src, nil
	}
	text := string(src)
	starts := lineStarts(text)
	type span struct {
		start, end int
		repl       string
	}
	spans := make([]span, 0, len(edits))
	for _, e := range edits {
		s, err := offset(text, starts, e.Range.Start)
		if err != nil {
			return nil, err
		}
		t, err := offset(text, starts, e.Range.End)
		if err != nil {
			return nil, err
		}
		if t < s {
			return nil, fmt.Errorf("edit at line %d ends before it starts", e.Range.Start.Line)
		}
		repl := e.NewText
		if mode == KeepLines {
			if missing := strings.Count(text[s:t], "\n") - strings.Count(repl, "\n"); missing > 0 {
				repl += strings.Repeat("\n", missing)
			} else if missing < 0 {
				return nil, fmt.Errorf("edit at line %d adds lines", e.Range.Start.Line)
			}
		}
		spans = append(spans, span{s, t, repl})
	}
	slices.SortStableFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	spans = slices.Compact(spans)
	var b strings.Builder
	pos := 0
	for i, sp := range spans {
		insertion := sp.start == sp.end
		if i > 0 && insertion && spans[i-1].start == sp.start && spans[i-1].end == sp.end {
			b.WriteString(sp.repl) // another insertion at the same point
			continue
		}
		if sp.start < pos || i > 0 && sp.start == spans[i-1].start && sp.end == spans[i-1].end {
			return nil, fmt.Errorf("conflicting edits at offset %d", sp.start)
		}
		b.WriteString(text[pos:sp.start])
		b.WriteString(sp.repl)
		pos = sp.end
	}
	b.WriteString(text[pos:])
	return []byte(b.String()), nil
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset converts a position (1-based line, 0-based byte column) into a byte offset. The position just
// past the last line (line+1, column 0) is the end of the text.
func offset(text string, starts []int, p parser.Position) (int, error) {
	switch {
	case p.Line == len(starts)+1 && p.Character == 0:
		return len(text), nil
	case p.Line < 1 || p.Line > len(starts):
		return 0, fmt.Errorf("edit position %d:%d is outside the Dockerfile", p.Line, p.Character)
	}
	off := starts[p.Line-1] + p.Character
	end := len(text)
	if p.Line < len(starts) {
		end = starts[p.Line] - 1
	}
	if off > end {
		return 0, fmt.Errorf("edit position %d:%d is past the end of its line", p.Line, p.Character)
	}
	return off, nil
}
