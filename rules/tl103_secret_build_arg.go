package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/tightlip/tightlip/model"
)

// TL103 finds credentials passed to the build as build arguments, and turns those that only RUN steps
// read into secret mounts.
var TL103 = &Rule{
	ID:       "TL103",
	Name:     "secret-build-arg",
	Severity: Warning,
	Summary:  "a credential is passed as a build argument instead of a secret",
	Doc: `Build arguments are not secret. BuildKit records the values of the build arguments in scope in the
image history of every RUN that follows the ARG (` + "`docker history`" + ` shows ` + "`RUN |1 NPM_TOKEN=… …`" + `),
includes them in provenance attestations and in the builder's build history, and a RUN that writes the
value anywhere persists it in a layer.

The rule reports an ARG declared in a stage whose name says it holds a credential (` + "`NPM_TOKEN`, `GH_PAT`, `*_API_KEY`, `*_PASSWORD`, …" + `)
and that has no literal default (a literal default is TL102).

When the ARG has no default and only RUN steps read it, tightlip **rewrites it inside the build**: the
ARG disappears from what BuildKit converts, and every RUN of the stage after it gets
` + "`--mount=type=secret,id=NAME,env=NAME,required=true`" + `, so the value reaches the RUN steps exactly as
before (as an environment variable) and nowhere else. The finding is then a warning that says so; the
build needs ` + "`--secret id=NAME,env=NAME`" + ` instead of ` + "`--build-arg NAME=…`" + ` (a build that still passes the
build argument is refused: its value is already in the build request). ` + "`tightlip fix`" + ` makes the
rewrite permanent in the Dockerfile.

The ARG is an error when the rewrite cannot help: it has a default (the value may not come from the
client), or an instruction other than RUN reads it, because BuildKit writes what those read into the image
or its configuration (ENV, LABEL, COPY/ADD, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, another ARG's
default, or a RUN's --mount options).

Global ARGs (before the first FROM) are visible only to FROM lines and to stages that declare them again;
a stage's redeclaration is what the rule reports, and the rewrite removes the global declaration too.`,
	Bad: `FROM node:22
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci`,
	Good: `FROM node:22
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN,required=true npm ci`,
	Check: checkSecretBuildArg,
}

func checkSecretBuildArg(pass *Pass) {
	// First decide for every credential ARG whether it can be rewritten, so that each fix removes, from
	// an ARG line declaring several, exactly the declarations that all the fixes remove.
	rewritten := map[*model.Var]bool{}
	type verdict struct {
		v       *model.Var
		st      *model.Stage
		problem string
	}
	var verdicts []verdict
	for _, st := range pass.File.Stages {
		for _, v := range st.Args {
			if !pass.Config.isName(v.Name) || v.HasValue && isLiteralCredential(v) {
				continue
			}
			vd := verdict{v: v, st: st}
			switch {
			case v.HasValue && strings.TrimSpace(v.Raw) != "":
				vd.problem = fmt.Sprintf("build arg %s carries a credential and has a default, so tightlip cannot pass it as a secret: remove the default and build with --secret id=%s,env=%s",
					v.Name, v.Name, v.Name)
			case !rewritable(v.Inst):
				vd.problem = fmt.Sprintf("build arg %s carries a credential, and the ARG on line %d cannot be rewritten into a secret mount: give it a name of letters, digits and underscores, on its own line",
					v.Name, v.Inst.Range.Start.Line)
			default:
				if use := blockingUse(pass.File, st, v); use != "" {
					vd.problem = fmt.Sprintf("build arg %s carries a credential and cannot become a secret mount: %s; read it only in RUN steps, from --mount=type=secret,id=%s,env=%s",
						v.Name, use, v.Name, v.Name)
				}
			}
			rewritten[v] = vd.problem == ""
			verdicts = append(verdicts, vd)
		}
	}
	// A global ARG goes when every stage that declares it again is rewritten.
	for _, vd := range verdicts {
		if g := vd.v.Global; g != nil {
			if ok, seen := rewritten[g]; !seen || ok {
				rewritten[g] = rewritten[vd.v]
			}
		}
	}
	for _, vd := range verdicts {
		if vd.problem != "" {
			pass.Report(Finding{Severity: Error, Range: vd.v.Range, Message: vd.problem, Subject: vd.v.Name})
			continue
		}
		v := vd.v
		pass.Report(Finding{
			Range:   v.Range,
			Subject: v.Name,
			Message: fmt.Sprintf("build arg %s carries a credential: tightlip passes it to the RUN steps as a secret mount instead; build with --secret id=%s,env=%s, and run `tightlip fix` to make this permanent",
				v.Name, v.Name, v.Name),
			Fix: secretMountFix(pass.File, vd.st, v, rewritten, !pass.Config.OptionalSecrets),
		})
	}
}

// SecretMount is the RUN option that the rewrite of TL103 gives the RUN steps reading a build arg;
// required is false only when a build policy says so (rewrite.required).
func SecretMount(name string, required bool) string {
	return "--mount=type=secret,id=" + name + ",env=" + name + ",required=" + strconv.FormatBool(required)
}

// blockingUse describes the first instruction after v in its stage (or FROM line, for its global ARG) that
// reads v other than as a RUN's environment, or "" when there is none.
func blockingUse(f *model.File, st *model.Stage, v *model.Var) string {
	lex := shell.NewLex(f.EscapeToken)
	env := shell.EnvsFromSlice([]string{v.Name + "=x"})
	reads := func(text string) bool {
		res, err := lex.ProcessWordWithMatches(text, env)
		if err != nil {
			return strings.Contains(text, v.Name) // unparsable: assume the worst
		}
		_, ok := res.Matched[v.Name]
		return ok
	}
	if v.Global != nil {
		for _, s := range f.Stages {
			if reads(s.From.ArgsText().String()) {
				return fmt.Sprintf("the FROM on line %d reads it", s.From.Range.Start.Line)
			}
		}
	}
	after := false
	for _, in := range st.Instructions {
		if in == v.Inst {
			after = true
			continue
		}
		if !after {
			continue
		}
		line := in.Range.Start.Line
		switch in.Keyword {
		case "ARG", "ENV":
			for _, w := range in.Vars {
				if w.Name == v.Name && in.Keyword == "ARG" {
					if w.HasValue && reads(w.Raw) {
						return fmt.Sprintf("the ARG on line %d reads it", line)
					}
					continue
				}
				for _, r := range w.Refs {
					if r == v.Name {
						return fmt.Sprintf("the %s %s on line %d reads it (%s)", in.Keyword, w.Name, line, storedBy(in.Keyword))
					}
				}
			}
		case "RUN":
			opts := in.Text.Slice(len(in.Keyword), len(in.Text.String())-len(in.ArgsText().String())).String()
			if reads(opts) {
				return fmt.Sprintf("the options of the RUN on line %d read it", line)
			}
		case "COPY", "ADD", "LABEL", "WORKDIR", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL":
			if reads(in.Text.String()[len(in.Keyword):]) {
				return fmt.Sprintf("the %s on line %d reads it (%s)", in.Keyword, line, storedBy(in.Keyword))
			}
		}
	}
	return ""
}

// rewritable reports whether the declarations of an ARG instruction can be written again without some
// of them and serve as secret ids and variable names: every name must be an identifier.
func rewritable(in *model.Instruction) bool {
	for _, w := range in.Vars {
		if !isIdentifier(w.Name) {
			return false
		}
	}
	return true
}

func isIdentifier(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

func storedBy(keyword string) string {
	switch keyword {
	case "ENV", "LABEL", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "WORKDIR":
		return "stored in the image config"
	case "ARG":
		return "recorded in the image history"
	}
	return "written into the image"
}

// secretMountFix removes the ARG (and its global declaration when it goes too) and gives every RUN of
// the stage after it the secret mount.
func secretMountFix(f *model.File, st *model.Stage, v *model.Var, rewritten map[*model.Var]bool, required bool) *Fix {
	fix := &Fix{Message: fmt.Sprintf("pass %s to the RUN steps as a secret mount", v.Name)}
	fix.Edits = append(fix.Edits, removeVarsEdit(f, v.Inst, rewritten))
	if v.Global != nil && rewritten[v.Global] {
		fix.Edits = append(fix.Edits, removeVarsEdit(f, v.Global.Inst, rewritten))
	}
	after := false
	for _, in := range st.Instructions {
		if in == v.Inst {
			after = true
			continue
		}
		if !after || in.Run == nil || mountsSecretEnv(in.Run, v.Name) {
			continue
		}
		line := f.Line(in.Range.Start.Line)
		col := len(line) - len(strings.TrimLeft(line, " \t")) + len(in.Keyword)
		at := parser.Position{Line: in.Range.Start.Line, Character: col}
		fix.Edits = append(fix.Edits, Edit{Range: parser.Range{Start: at, End: at}, NewText: " " + SecretMount(v.Name, required)})
	}
	return fix
}

// removeVarsEdit removes the rewritten declarations from an ARG instruction: the whole instruction when
// it declares nothing else, otherwise the instruction written again on its first line without them.
func removeVarsEdit(f *model.File, in *model.Instruction, rewritten map[*model.Var]bool) Edit {
	var keep []string
	for _, w := range in.Vars {
		if rewritten[w] {
			continue
		}
		decl := w.Name
		if w.HasValue {
			decl += "=" + w.Raw
		}
		keep = append(keep, decl)
	}
	start := parser.Position{Line: in.Range.Start.Line}
	if len(keep) == 0 { // the whole instruction, its line ends included
		return Edit{Range: parser.Range{Start: start, End: parser.Position{Line: in.Range.End.Line + 1}}}
	}
	end := parser.Position{Line: in.Range.End.Line, Character: len(f.Line(in.Range.End.Line))}
	return Edit{Range: parser.Range{Start: start, End: end}, NewText: "ARG " + strings.Join(keep, " ")}
}

func mountsSecretEnv(r *model.Run, name string) bool {
	for _, m := range r.Mounts {
		if m.Type == instructions.MountTypeSecret && m.Env != nil && *m.Env == name {
			return true
		}
	}
	return false
}
