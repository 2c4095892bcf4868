package rules

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
)

// isLiteralCredential reports whether a variable's value, as written in the Dockerfile, is a credential:
// not empty, not a variable reference, not a placeholder, not a path pointing at a credential file.
func isLiteralCredential(v *model.Var) bool {
	lit := strings.TrimSpace(v.Literal)
	if len(v.Refs) > 0 {
		// Only the default of ${X:-default} is written in the Dockerfile.
		m := defaultRef.FindStringSubmatch(strings.Trim(strings.TrimSpace(v.Raw), `"'`))
		if m == nil {
			return false
		}
		lit = m[1]
	}
	return lit != "" && !credential.IsPlaceholder(lit) && !isPath(lit)
}

// defaultRef matches ${NAME:-default} and ${NAME-default}.
var defaultRef = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.+)\}$`)

// isPath reports whether a value is a file path (GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp.json).
func isPath(v string) bool {
	if strings.ContainsAny(v, " \t") {
		return false
	}
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "~/")
}

// secretMountHint is the RUN option that hands a build arg's credential to one command instead.
func secretMountHint(name string) string {
	return "RUN --mount=type=secret,id=" + strings.ToLower(name) + ",env=" + name
}

// where says where text of an instruction ends up.
func where(in *model.Instruction, heredoc bool) string {
	switch in.Keyword {
	case "ENV":
		return "in ENV (stored in the image config)"
	case "ARG":
		if in.Stage == nil {
			return "in a global ARG default"
		}
		return "in an ARG default (recorded in the image history)"
	case "LABEL":
		return "in a LABEL (stored in the image config)"
	case "RUN":
		if heredoc {
			return "in a RUN heredoc (part of the build definition)"
		}
		return "in RUN (recorded in the image history)"
	case "COPY", "ADD":
		if heredoc {
			return "in a file " + in.Keyword + " writes into the image"
		}
		return "in " + in.Keyword + " (recorded in the image history)"
	case "FROM":
		return "in FROM"
	case "ONBUILD":
		return "in ONBUILD (stored in the image config)"
	case "CMD", "ENTRYPOINT", "HEALTHCHECK", "USER", "WORKDIR", "VOLUME", "EXPOSE", "STOPSIGNAL", "SHELL":
		return "in " + in.Keyword + " (stored in the image config)"
	}
	return "in " + in.Keyword
}

// findIn locates the first occurrence of s in the instruction's text, or returns the instruction's range.
func findIn(in *model.Instruction, s string) parser.Range {
	if s != "" {
		if i := strings.Index(in.Text.String(), s); i >= 0 {
			return in.Text.Range(i, i+len(s))
		}
	}
	return in.Range
}

// list joins up to three names and says how many more there are.
func list(names []string) string {
	const max = 3
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + " and " + itoa(len(names)-max) + " more"
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }
