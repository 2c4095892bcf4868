package model_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
)

const dockerfile = `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
ARG NPM_TOKEN
FROM ${BASE} AS build
ARG NPM_TOKEN
ARG CACHE_ID=npm
ENV A=1 B="$A x" \
    C=${NPM_TOKEN}
WORKDIR app
RUN --mount=type=secret,id=npm,env=NPM_TOKEN,required \
    --mount=type=cache,id=${CACHE_ID},target=${HOME}/.npm \
  # a comment inside the RUN
    npm ci && \
    echo done
RUN <<EOF
echo hi
EOF
RUN cat <<-A > /x && cat <<B
	foo
	A
bar
B
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
LABEL k=v "x y"="z"
FROM build AS final
COPY --from=build --chmod=600 a.txt ./b/.npmrc /dst/
COPY --from=0 /out /out
RUN ["/bin/sh", "-c", "echo $X"]
RUN --mount=type=bind,from=build,source=/out,target=/in ls /in
FROM scratch
COPY --from=final / /
`

func parse(t *testing.T, src string) *model.File {
	t.Helper()
	f, err := model.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func pos(line, col int) parser.Position { return parser.Position{Line: line, Character: col} }

func TestStages(t *testing.T) {
	f := parse(t, dockerfile)
	if len(f.Stages) != 3 {
		t.Fatalf("%d stages, want 3", len(f.Stages))
	}
	build, final, last := f.Stages[0], f.Stages[1], f.Stages[2]
	if build.Name != "build" || build.Base != "${BASE}" || build.BaseExpanded != "alpine:3.20" || build.BaseStage != nil {
		t.Errorf("build stage: %q %q %q %v", build.Name, build.Base, build.BaseExpanded, build.BaseStage)
	}
	if final.BaseStage != build || final.Final || !final.Targetable() {
		t.Errorf("final stage: base %v final %v", final.BaseStage, final.Final)
	}
	if !last.Final || last.Name != "" || !last.Targetable() || last.String() != "2" {
		t.Errorf("last stage: final %v name %q", last.Final, last.Name)
	}
	if f.Target("") != last || f.Target("BUILD") != build || f.Target("nope") != nil {
		t.Error("Target lookup")
	}
	if len(f.MetaArgs) != 2 || f.MetaArgs[1].Name != "NPM_TOKEN" || f.MetaArgs[1].HasValue {
		t.Errorf("meta args: %v", f.MetaArgs)
	}
	if got := build.Args[0]; got.Global != f.MetaArgs[1] {
		t.Errorf("stage ARG NPM_TOKEN does not point at the meta ARG")
	}
}

func TestEdges(t *testing.T) {
	f := parse(t, dockerfile)
	var got []string
	for _, e := range f.Edges {
		from := "image"
		if e.From != nil {
			from = e.From.String()
		}
		got = append(got, e.Kind.String()+" "+e.Ref+" "+from+"->"+e.To.String())
	}
	want := []string{
		"FROM alpine:3.20 image->build",
		"FROM build build->final",
		"COPY --from build build->final",
		"COPY --from 0 build->final",
		"RUN --mount=from build build->final",
		"FROM scratch image->2",
		"COPY --from final final->2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestVars(t *testing.T) {
	f := parse(t, dockerfile)
	build := f.Stages[0]
	if len(build.Envs) != 3 {
		t.Fatalf("%d ENVs", len(build.Envs))
	}
	b, c := build.Envs[1], build.Envs[2]
	if b.Raw != `"$A x"` || b.Literal != " x" || !slices.Equal(b.Refs, []string{"A"}) {
		t.Errorf("B: raw %q literal %q refs %q", b.Raw, b.Literal, b.Refs)
	}
	if c.Value != "" || !slices.Equal(c.Refs, []string{"NPM_TOKEN"}) || c.RefVars[0] != build.Args[0] {
		t.Errorf("C: value %q refs %q", c.Value, c.Refs)
	}
	if b.Range != (parser.Range{Start: pos(7, 8), End: pos(7, 16)}) {
		t.Errorf("B range %v", b.Range)
	}
	// C is on the continuation line.
	if c.Range != (parser.Range{Start: pos(8, 4), End: pos(8, 18)}) {
		t.Errorf("C range %v", c.Range)
	}
	if got := f.Lines(c.Range); len(got) != 1 || got[0] != "    C=${NPM_TOKEN}" {
		t.Errorf("Lines(C) = %q", got)
	}
}

func TestRunMountsAndScript(t *testing.T) {
	f := parse(t, dockerfile)
	build := f.Stages[0]
	r := build.Runs[0]
	if r.MountsErr != nil {
		t.Fatal(r.MountsErr)
	}
	if len(r.Mounts) != 2 {
		t.Fatalf("%d mounts", len(r.Mounts))
	}
	sec, cache := r.Mounts[0], r.Mounts[1]
	if sec.Type != instructions.MountTypeSecret || sec.CacheID != "npm" || sec.Env == nil || *sec.Env != "NPM_TOKEN" || !sec.Required {
		t.Errorf("secret mount %+v", sec)
	}
	// CACHE_ID is an ARG in scope; HOME comes from the base image and stays as written.
	if cache.Type != instructions.MountTypeCache || cache.CacheID != "npm" || cache.Target != "${HOME}/.npm" {
		t.Errorf("cache mount %+v", cache)
	}
	if r.Exec || !slices.Equal(r.Shell, []string{"/bin/sh", "-c"}) || r.Workdir != "/app" {
		t.Errorf("run: exec %v shell %q workdir %q", r.Exec, r.Shell, r.Workdir)
	}
	s := r.Script.String()
	if s != "npm ci &&     echo done" {
		t.Errorf("script %q", s)
	}
	// "echo" is on line 14, column 4; the comment line 12 is not part of the script.
	if p := r.Script.Position(strings.Index(s, "echo")); p != pos(14, 4) {
		t.Errorf("echo at %v", p)
	}
	if p := r.Script.Position(0); p != pos(13, 4) {
		t.Errorf("npm at %v", p)
	}
	if names := scopeNames(r.Scope); !slices.Equal(names, []string{"NPM_TOKEN", "CACHE_ID", "A", "B", "C"}) {
		t.Errorf("scope %q", names)
	}
}

func scopeNames(vs []*model.Var) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return out
}

func TestHeredocScripts(t *testing.T) {
	f := parse(t, dockerfile)
	build := f.Stages[0]
	r := build.Runs[1]
	if r.Script.String() != "echo hi\n" || r.Script.Position(0) != pos(16, 0) {
		t.Errorf("RUN <<EOF script %q at %v", r.Script.String(), r.Script.Position(0))
	}
	r = build.Runs[2]
	want := "cat <<-A > /x && cat <<B\n\tfoo\nA\nbar\nB"
	if got := r.Script.String(); got != want {
		t.Errorf("script %q, want %q", got, want)
	}
	if p := r.Script.Position(strings.Index(want, "foo")); p != pos(19, 1) {
		t.Errorf("foo at %v", p)
	}
	if p := r.Script.Position(strings.Index(want, "bar")); p != pos(21, 0) {
		t.Errorf("bar at %v", p)
	}
	hs := r.Inst.Heredocs
	if len(hs) != 2 || !hs[0].Chomp || hs[0].Data().String() != "foo\n" || hs[0].Data().Position(0) != pos(19, 1) {
		t.Errorf("heredocs %+v", hs)
	}
	if hs[1].Range != (parser.Range{Start: pos(21, 0), End: pos(22, 0)}) {
		t.Errorf("heredoc B range %v", hs[1].Range)
	}
	if r.Inst.Range != (parser.Range{Start: pos(18, 0), End: pos(22, 0)}) {
		t.Errorf("RUN range %v", r.Inst.Range)
	}
}

func TestScriptLines(t *testing.T) {
	f := parse(t, dockerfile)
	lines := f.Stages[0].Runs[2].Script.Lines()
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d:%d %s", l.Pos.Line, l.Pos.Character, l.Text))
	}
	want := []string{"18:4 cat <<-A > /x && cat <<B", "19:0 \tfoo", "20:1 A", "21:0 bar", "22:0 B"}
	if !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}

func TestShellCopyLabelExec(t *testing.T) {
	f := parse(t, dockerfile)
	build, final := f.Stages[0], f.Stages[1]
	if l := build.Labels[1]; l.Key != "x y" || l.Value != "z" {
		t.Errorf("label %+v", l)
	}
	// SHELL carries over to a stage built on the stage.
	r := final.Runs[0]
	if !slices.Equal(r.Shell, []string{"/bin/bash", "-eo", "pipefail", "-c"}) {
		t.Errorf("shell %q", r.Shell)
	}
	if !r.Exec || r.Script == nil || r.Script.String() != "echo $X" || r.Script.Position(0) != pos(28, 23) {
		t.Errorf("exec script %v", r.Script)
	}
	c := final.Copies[0]
	if c.From != "build" || c.FromStage != build || c.Chmod != "600" || c.Dest != "/dst/" || len(c.Sources) != 2 {
		t.Fatalf("copy %+v", c)
	}
	if s := c.Sources[1]; s.Path != "./b/.npmrc" || s.Range != (parser.Range{Start: pos(26, 36), End: pos(26, 46)}) {
		t.Errorf("source %+v", s)
	}
}

func TestTextConcatAndSlice(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN a && \\\n  b && \\\n  c\n")
	r := f.Stages[0].Runs[0]
	s := r.Script
	if s.String() != "a &&   b &&   c" {
		t.Fatalf("script %q", s.String())
	}
	sub := s.Slice(5, 11)
	if sub.String() != "  b &&" || sub.Position(2) != pos(3, 2) {
		t.Errorf("slice %q at %v", sub.String(), sub.Position(2))
	}
	if rng := s.Range(7, 8); rng != (parser.Range{Start: pos(3, 2), End: pos(3, 3)}) {
		t.Errorf("range %v", rng)
	}
}

func TestEscapeDirectiveAndBOM(t *testing.T) {
	f := parse(t, "\ufeff# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN echo a `\n    b\n")
	if f.EscapeToken != '`' {
		t.Fatalf("escape %q", f.EscapeToken)
	}
	r := f.Stages[0].Runs[0]
	if r.Script.String() != "echo a     b" || r.Script.Position(11) != pos(4, 4) {
		t.Errorf("script %q, b at %v", r.Script.String(), r.Script.Position(11))
	}
}

func TestBuildArgs(t *testing.T) {
	f, err := model.ParseArgs("Dockerfile", []byte("ARG V=1\nFROM alpine:$V\nARG ID=x\nRUN --mount=type=cache,id=$ID,target=/c true\n"), map[string]string{"V": "3.20", "ID": "y"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Stages[0].BaseExpanded != "alpine:3.20" || f.Stages[0].Runs[0].Mounts[0].CacheID != "y" {
		t.Errorf("base %q cache id %q", f.Stages[0].BaseExpanded, f.Stages[0].Runs[0].Mounts[0].CacheID)
	}
}

func TestMountErrorsAreKept(t *testing.T) {
	// BuildKit checks mount options when it converts the RUN; the model keeps the error.
	f := parse(t, "FROM alpine\nRUN --mount=type=nope,target=/x true\n")
	r := f.Stages[0].Runs[0]
	var le *parser.LocationError
	if r.MountsErr == nil || !errors.As(r.MountsErr, &le) || le.Locations[0][0].Start.Line != 2 {
		t.Errorf("MountsErr = %v", r.MountsErr)
	}
}

func TestParseErrorsAreLocated(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
	}{
		{"FROM alpine\nFOO bar\n", 2},
		{"RUN echo\n", 1},
		{"FROM alpine\nRUN <<EOF\necho\n", 2},
		{"FROM alpine\nCOPY a\n", 2},
		{"# empty\n", 1},
	} {
		_, err := model.Parse("Dockerfile", []byte(tc.src))
		var le *parser.LocationError
		if err == nil || !errors.As(err, &le) {
			t.Errorf("%q: error %v is not located", tc.src, err)
			continue
		}
		if got := le.Locations[0][0].Start.Line; got != tc.line && !(tc.line == 1 && got == 0) {
			t.Errorf("%q: error at line %d, want %d: %v", tc.src, got, tc.line, err)
		}
	}
}

func TestLine(t *testing.T) {
	f := parse(t, "FROM alpine\r\nRUN true\r\n")
	if f.Line(2) != "RUN true" || f.Line(0) != "" || f.Line(3) != "" || f.NumLines() != 2 {
		t.Errorf("lines: %q %q", f.Line(1), f.Line(2))
	}
}

// TestCheckComment checks that a `# check=` comment above an instruction, which BuildKit's linter
// reads, is accepted.
func TestCheckComment(t *testing.T) {
	f := parse(t, "FROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n")
	if got := len(f.Instructions); got != 2 {
		t.Errorf("%d instructions, want 2", got)
	}
}
