package model

import (
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// lineStarts returns the offset of every line of s, as BuildKit's scanner splits lines.
func lineStarts(s string) []int {
	starts := make([]int, 0, strings.Count(s, "\n")+1)
	for off := 0; off < len(s); {
		starts = append(starts, off)
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return starts
}

// logicalLine maps the instruction line BuildKit's parser made of node's physical lines (node.Original)
// back to those lines. It returns the line number where the logical line ends (before heredocs). When
// the pieces do not add up to the parser's line (which should not happen), every byte is mapped to the
// start line.
func (p *parseState) logicalLine(node *parser.Node) (Text, int) {
	f := p.f
	esc := byte(f.EscapeToken)
	orig := node.Original
	n := node.StartLine
	line := f.Line(n)
	trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
	kept, cont := trimContinuation(trimmed, esc)
	spans := make([]span, 1, max(node.EndLine-node.StartLine+1, 1)) // one per physical line at most
	spans[0] = span{0, n, len(line) - len(trimmed)}
	t := Text{s: orig, spans: spans}
	ok := strings.HasPrefix(orig, kept)
	off := len(kept)
	for ok && cont && n < f.NumLines() {
		n++
		line := f.Line(n)
		if isComment(line) || strings.TrimLeftFunc(line, unicode.IsSpace) == "" {
			continue
		}
		kept, cont = trimContinuation(line, esc)
		if kept == "" {
			continue
		}
		if !strings.HasPrefix(orig[off:], kept) {
			ok = false
			break
		}
		t.spans = append(t.spans, span{off, n, 0})
		off += len(kept)
	}
	if !ok || off != len(orig) {
		return NewText(orig, parser.Position{Line: node.StartLine}), n
	}
	return t, n
}

// trimContinuation removes a trailing line-continuation escape, as the parser's lineContinuationRegex
// does, and reports whether there was one.
func trimContinuation(line string, esc byte) (string, bool) {
	t := strings.TrimRight(line, " \t")
	if t == "" || t[len(t)-1] != esc {
		return line, false
	}
	if len(t) >= 2 && t[len(t)-2] == esc {
		return line, false
	}
	return t[:len(t)-1], true
}

func isComment(line string) bool {
	t := strings.TrimLeftFunc(line, unicode.IsSpace)
	return t != "" && t[0] == '#'
}

// heredocs maps the node's heredoc bodies to the lines after last, where the logical line ends.
func (p *parseState) heredocs(node *parser.Node, last int) []*Heredoc {
	if len(node.Heredocs) == 0 {
		return nil
	}
	f := p.f
	out := make([]*Heredoc, 0, len(node.Heredocs))
	n := last
	for _, h := range node.Heredocs {
		start := n + 1
		termCol := 0
		content := Text{s: h.Content}
		off := 0
		for n < f.NumLines() {
			n++
			raw := f.rawLine(n)
			cand := strings.TrimRight(raw, "\r\n")
			if h.Chomp {
				cand = strings.TrimLeft(cand, "\t")
			}
			if cand == h.Name {
				termCol = len(strings.TrimRight(raw, "\r\n")) - len(cand)
				break
			}
			if raw != "" {
				content.spans = append(content.spans, span{off, n, 0})
				off += len(raw)
			}
		}
		if off != len(h.Content) || !strings.HasPrefix(f.source[f.lineStart(start):], h.Content) {
			content = NewText(h.Content, parser.Position{Line: start})
		}
		out = append(out, &Heredoc{
			Name:           h.Name,
			Expand:         h.Expand,
			Chomp:          h.Chomp,
			FileDescriptor: h.FileDescriptor,
			Content:        content,
			Range:          parser.Range{Start: parser.Position{Line: start}, End: parser.Position{Line: n}},
			termCol:        termCol,
		})
	}
	return out
}

// chompText removes leading tabs from every line of t, keeping positions (parser.ChompHeredocContent).
func chompText(t Text) Text {
	var parts []Text
	s := t.String()
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off + 1
		}
		k := off
		for k < end && s[k] == '\t' {
			k++
		}
		parts = append(parts, t.Slice(k, end))
		off = end
	}
	return concat(parts...)
}
