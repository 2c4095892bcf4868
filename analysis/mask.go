package analysis

import (
	"bytes"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
)

// maskByte replaces every byte of a credential in a masked Dockerfile.
const maskByte = '*'

// Mask returns the Dockerfile text with every credential value written in it replaced by asterisks of
// the same length: credentials of known formats (anywhere, comments included) and the literal values of
// credential-named ARG and ENV declarations. Lines and columns do not move, so the masked text can be
// shown in place of the original wherever BuildKit prints a snippet.
func Mask(file *model.File) []byte {
	src := file.Source()
	out := []byte(src)
	for _, m := range credential.Find(src) {
		maskSpan(out, m.Start, m.End)
	}
	starts := lineStarts(src)
	for _, in := range file.Instructions {
		for _, v := range in.Vars {
			if v.HasValue && v.Literal != "" && credential.IsName(v.Name) {
				maskValue(out, starts, v)
			}
		}
	}
	return out
}

// maskValue masks the last occurrence of the variable's raw value inside the text of its NAME=value.
func maskValue(out []byte, starts []int, v *model.Var) {
	start, end := offset(starts, len(out), v.Range.Start), offset(starts, len(out), v.Range.End)
	if v.Range.Start.Character == 0 && v.Range.End.Character == 0 { // whole lines
		end = offset(starts, len(out), parser.Position{Line: v.Range.End.Line + 1})
	}
	if start >= end || v.Raw == "" {
		return
	}
	if i := bytes.LastIndex(out[start:end], []byte(v.Raw)); i >= 0 {
		maskSpan(out, start+i, start+i+len(v.Raw))
	}
}

func maskSpan(out []byte, start, end int) {
	for i := max(start, 0); i < min(end, len(out)); i++ {
		if out[i] != '\n' && out[i] != '\r' {
			out[i] = maskByte
		}
	}
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := strings.IndexByte(s, '\n'); i >= 0; {
		starts = append(starts, starts[len(starts)-1]+i+1)
		j := strings.IndexByte(s[starts[len(starts)-1]:], '\n')
		if j < 0 {
			break
		}
		i = j
	}
	return starts
}

// offset converts a position (1-based line, 0-based byte column) to a byte offset, clamped to n.
func offset(starts []int, n int, p parser.Position) int {
	if p.Line < 1 {
		return 0
	}
	if p.Line > len(starts) {
		return n
	}
	return min(starts[p.Line-1]+p.Character, n)
}
