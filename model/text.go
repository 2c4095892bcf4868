package model

import (
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Text is a string taken from the Dockerfile together with where each of its bytes came from, so that a
// position found in it (by a regexp, a shell parser, ...) maps back to a Dockerfile line and column.
//
// Positions use BuildKit's parser.Position: Line is 1-based, Character is a 0-based byte offset in that
// line. Bytes that do not come from the file verbatim (the newline BuildKit inserts between a RUN line and
// its heredoc, for example) map to the nearest source position.
type Text struct {
	s     string
	spans []span // sorted by off; spans[0].off == 0 when s != ""
}

// span says that s[off:] (up to the next span) starts at line:col of the Dockerfile.
type span struct {
	off, line, col int
}

// NewText returns a Text whose bytes are all taken to start at pos and run on in the same line.
func NewText(s string, pos parser.Position) Text {
	return Text{s: s, spans: []span{{0, pos.Line, pos.Character}}}
}

// String returns the text.
func (t Text) String() string { return t.s }

// Len returns the length of the text in bytes.
func (t Text) Len() int { return len(t.s) }

// Position returns the Dockerfile position of the byte at offset off (0 <= off <= Len()).
func (t Text) Position(off int) parser.Position {
	if len(t.spans) == 0 {
		return parser.Position{}
	}
	off = max(0, min(off, len(t.s)))
	i := sort.Search(len(t.spans), func(i int) bool { return t.spans[i].off > off }) - 1
	i = max(i, 0)
	sp := t.spans[i]
	return parser.Position{Line: sp.line, Character: sp.col + off - sp.off}
}

// Range returns the Dockerfile range of t's bytes [start, end). A range crossing lines ends where its
// last byte is.
func (t Text) Range(start, end int) parser.Range {
	if end <= start {
		p := t.Position(start)
		return parser.Range{Start: p, End: p}
	}
	s := t.Position(start)
	e := t.Position(end - 1)
	e.Character++
	return parser.Range{Start: s, End: e}
}

// Slice returns the part [start, end) of t, with its positions.
func (t Text) Slice(start, end int) Text {
	start = max(0, min(start, len(t.s)))
	end = max(start, min(end, len(t.s)))
	out := Text{s: t.s[start:end]}
	if len(t.spans) == 0 {
		return out
	}
	p := t.Position(start)
	out.spans = append(out.spans, span{0, p.Line, p.Character})
	for _, sp := range t.spans {
		if sp.off > start && sp.off < end {
			out.spans = append(out.spans, span{sp.off - start, sp.line, sp.col})
		}
	}
	return out
}

// Line is one line of a Text: its content without the newline, where it starts in the Text, and
// where that is in the Dockerfile.
type Line struct {
	Text string
	Off  int
	Pos  parser.Position
}

// Lines splits the text into lines and says which Dockerfile position each starts at. A line of a RUN
// script joined from continuation lines starts at its first Dockerfile line; use Position for the
// positions inside it.
func (t Text) Lines() []Line {
	var out []Line
	for off := 0; off < len(t.s); {
		end := strings.IndexByte(t.s[off:], '\n')
		next := len(t.s)
		if end < 0 {
			end = len(t.s)
		} else {
			end += off
			next = end + 1
		}
		out = append(out, Line{Text: t.s[off:end], Off: off, Pos: t.Position(off)})
		off = next
	}
	return out
}

// concat joins texts, keeping each part's positions.
func concat(parts ...Text) Text {
	var out Text
	n := 0
	for _, p := range parts {
		n += len(p.s)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		if p.s == "" {
			continue
		}
		base := len(b)
		b = append(b, p.s...)
		for _, sp := range p.spans {
			out.spans = append(out.spans, span{base + sp.off, sp.line, sp.col})
		}
	}
	out.s = string(b)
	return out
}
