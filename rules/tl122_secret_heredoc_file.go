package rules

import (
	"regexp"

	"github.com/tightlip/tightlip/model"
)

// TL122 finds COPY/ADD heredocs that expand a credential variable into a file of the image.
var TL122 = &Rule{
	ID:       "TL122",
	Name:     "secret-heredoc-file",
	Severity: Error,
	Summary:  "a COPY or ADD heredoc writes a credential variable into a file of the image",
	Doc: `BuildKit expands variables in the body of a COPY or ADD heredoc whose delimiter is not quoted
(` + "`COPY <<EOF /root/.npmrc`" + `). When the body refers to a credential build argument or environment
variable, the credential's value is written into a file of the layer, where it stays even if a later
step removes the file.

The rule reports references to credential-named ARG and ENV variables in scope inside unquoted COPY/ADD
heredocs. A quoted delimiter (` + "`<<'EOF'`" + `) turns expansion off, so such heredocs are not reported
(credentials written literally in them are TL110's concern).

**Fix:** write the file in the RUN that needs it from a secret mount, or mount the file itself as a
secret: ` + "`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`" + `.`,
	Bad:   "ARG NPM_TOKEN\nCOPY <<EOF /root/.npmrc\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nEOF\nRUN npm ci",
	Good:  `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`,
	Check: checkSecretHeredoc,
}

// varRef finds $NAME and ${NAME...} references; submatch 1 or 2 is the name.
var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))`)

func checkSecretHeredoc(pass *Pass) {
	for _, st := range pass.File.Stages {
		for _, c := range st.Copies {
			for _, h := range c.Inst.Heredocs {
				if !h.Expand {
					continue
				}
				text := h.Content.String()
				for _, m := range varRef.FindAllStringSubmatchIndex(text, -1) {
					if m[0] > 0 && text[m[0]-1] == '\\' {
						continue
					}
					start, end := m[2], m[3]
					if start < 0 {
						start, end = m[4], m[5]
					}
					name := text[start:end]
					if !pass.Config.isName(name) {
						continue
					}
					v := varInScope(st, c.Inst.Index, name)
					if v == nil {
						continue
					}
					what := "build arg"
					if v.Kind == model.Env {
						what = "ENV"
					}
					pass.ReportSubject(h.Content.Range(m[0], m[1]), name, "%s heredoc writes %s %s into %s in the image; mount the file as a secret in the RUN that needs it (--mount=type=secret)",
						c.Inst.Keyword, what, name, c.Dest)
				}
			}
		}
	}
}

// varInScope returns the last declaration of name visible at instruction index idx of stage st: the
// stage's ARGs and ENVs before it, and the ENVs of the stages it is built on.
func varInScope(st *model.Stage, idx int, name string) *model.Var {
	for s := st; s != nil; s = s.BaseStage {
		var found *model.Var
		later := func(v *model.Var) bool {
			return v.Name == name && (s != st || v.Inst.Index < idx) && (found == nil || v.Inst.Index > found.Inst.Index)
		}
		for _, v := range s.Envs {
			if later(v) {
				found = v
			}
		}
		if s == st {
			for _, v := range s.Args {
				if later(v) {
					found = v
				}
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}
