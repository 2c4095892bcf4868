package analysis

import (
	"bytes"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

// maskByte replaces every byte of a credential in a masked Dockerfile.
const maskByte = '*'

// Mask returns the Dockerfile text with every credential value written in it replaced by asterisks of
// the same length: credentials of known formats (anywhere, comments included) and the literal values of
// credential-named ARG and ENV declarations. Lines and columns do not move, so the masked text can be
// shown in place of the original wherever BuildKit prints a snippet.
func Mask(file *model.File) []byte { return MaskConfig(file, nil) }

// MaskConfig is Mask with a build policy's extra credential names and value formats (cfg may be nil).
func MaskConfig(file *model.File, cfg *rules.Config) []byte {
	if cfg == nil {
		cfg = &rules.Config{}
	}
	src := file.Source()
	out := []byte(src)
	for _, m := range credential.Find(src) {
		maskSpan(out, m.Start, m.End)
	}
	for _, span := range cfg.ValueSpans(src) {
		maskSpan(out, span[0], span[1])
	}
	for _, in := range file.Instructions {
		for _, v := range in.Vars {
			if v.HasValue && v.Literal != "" && (credential.IsName(v.Name) || cfg.IsName(v.Name)) {
				maskValue(out, file, v)
			}
		}
	}
	return out
}

// maskValue masks the last occurrence of the variable's raw value inside the text of its NAME=value.
func maskValue(out []byte, file *model.File, v *model.Var) {
	start, end := file.Offset(v.Range.Start), file.Offset(v.Range.End)
	if v.Range.Start.Character == 0 && v.Range.End.Character == 0 { // whole lines
		end = file.Offset(parser.Position{Line: v.Range.End.Line + 1})
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
