// Package model is the typed model of a Dockerfile that every tightlip analysis reads.
//
// Parse builds it once per analysis with BuildKit's own parser and instructions packages, so that
// instructions, flags, heredocs and RUN mounts mean exactly what they mean to the converter. On top of
// BuildKit's types the model records what analyses need and BuildKit does not keep: the stages and the
// edges between them, the ARG/ENV declarations in scope at each instruction with their locations, mount
// options expanded with those variables, the SHELL in effect, and every piece of text (instruction lines,
// heredocs, RUN scripts) as a Text that maps offsets back to Dockerfile lines and columns.
//
// Positions follow BuildKit: parser.Position.Line is 1-based, Character a 0-based byte offset in the
// line. A parser.Range whose Start.Character and End.Character are both 0 spans whole lines (that is what
// BuildKit's own locations look like).
//
// A File is read-only: its parts share memory, such as the Shell of the RUNs of a stage and their Scope
// until an ARG or ENV changes it.
//
// Limits: values come from the Dockerfile alone (ARG defaults, ENV, build arguments given to ParseArgs).
// The base image's configuration is not known, so variables the base image defines stay unexpanded
// ("$HOME" stays "$HOME"), the default SHELL is taken to be ["/bin/sh", "-c"] (a Windows base image
// defaults to cmd), and WORKDIR/USER are "" until the Dockerfile sets them. A stage built on another
// stage inherits its ENV, SHELL, WORKDIR and USER, not its ARGs. Mount options that do not parse after
// expansion are kept as Run.MountsErr rather than failing the parse, because BuildKit checks them only
// when it converts the RUN, with the base image's environment. ONBUILD triggers are kept as text
// (Instruction.Text), not parsed into instructions.
package model

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// DefaultShell returns the SHELL in effect until a SHELL instruction changes it (for Linux base images).
func DefaultShell() []string { return []string{"/bin/sh", "-c"} }

// File is the model of one Dockerfile.
type File struct {
	// Filename is the name the Dockerfile was read under (used in messages only).
	Filename string
	// EscapeToken is the line-continuation/escape character (`\` unless an escape directive says "`").
	EscapeToken rune
	// MetaArgs are the ARGs declared before the first FROM.
	MetaArgs []*Var
	// Stages are the build stages in source order.
	Stages []*Stage
	// Instructions are all instructions in source order, FROMs and meta ARGs included.
	Instructions []*Instruction
	// Edges are the dependencies between stages: FROM <stage>, COPY --from and RUN --mount=from=.
	Edges []*Edge
	// Warnings are the warnings of BuildKit's parser (empty continuation lines).
	Warnings []parser.Warning

	source string // the Dockerfile text (without byte order mark)
	starts []int  // offset of each line in source
}

// Line returns the text of 1-based line n of the Dockerfile without its line terminator, or "" when
// there is no such line.
func (f *File) Line(n int) string {
	return strings.TrimRight(f.rawLine(n), "\r\n")
}

// rawLine returns line n with its line terminator.
func (f *File) rawLine(n int) string {
	if n < 1 || n > len(f.starts) {
		return ""
	}
	end := len(f.source)
	if n < len(f.starts) {
		end = f.starts[n]
	}
	return f.source[f.starts[n-1]:end]
}

// lineStart returns the offset of line n in the source.
func (f *File) lineStart(n int) int {
	if n < 1 || n > len(f.starts) {
		return len(f.source)
	}
	return f.starts[n-1]
}

// Source returns the Dockerfile's text.
func (f *File) Source() string { return f.source }

// Offset returns the offset in Source of position p, clamped to the text: 0 before the first line, the
// length of the text after the last one.
func (f *File) Offset(p parser.Position) int {
	if p.Line < 1 {
		return 0
	}
	return min(f.lineStart(p.Line)+max(p.Character, 0), len(f.source))
}

// NumLines returns the number of lines of the Dockerfile.
func (f *File) NumLines() int { return len(f.starts) }

// Lines returns the source lines that r spans, for error snippets.
func (f *File) Lines(r parser.Range) []string {
	start, end := r.Start.Line, r.End.Line
	if end < start {
		end = start
	}
	var out []string
	for n := start; n <= end; n++ {
		if n >= 1 && n <= f.NumLines() {
			out = append(out, f.Line(n))
		}
	}
	return out
}

// Stage returns the stage that a FROM, COPY --from or RUN --mount=from= reference names: a stage name
// (case-insensitive) or, when allowIndex is set, a stage index. It returns nil for anything else (an
// image or a named context).
func (f *File) Stage(ref string, allowIndex bool) *Stage {
	for _, s := range f.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, ref) {
			return s
		}
	}
	if allowIndex {
		if i, err := strconv.Atoi(ref); err == nil && i >= 0 && i < len(f.Stages) {
			return f.Stages[i]
		}
	}
	return nil
}

// Target returns the stage built for a --target value; "" selects the last stage.
func (f *File) Target(name string) *Stage {
	if name == "" {
		if len(f.Stages) == 0 {
			return nil
		}
		return f.Stages[len(f.Stages)-1]
	}
	return f.Stage(name, false)
}

// Stage is one build stage: a FROM and the instructions up to the next FROM.
type Stage struct {
	// Index is the stage's position among the stages (what COPY --from=<index> refers to).
	Index int
	// Name is the stage name after AS, lower-cased as BuildKit does; "" when unnamed.
	Name string
	// Base is the image or stage after FROM as written.
	Base string
	// BaseExpanded is Base with the meta ARGs expanded.
	BaseExpanded string
	// BaseStage is the earlier stage that Base names, if any.
	BaseStage *Stage
	// Platform is the --platform flag as written.
	Platform string
	// Final is set on the last stage, the one built when no target is given.
	Final bool
	// From is the FROM instruction.
	From *Instruction
	// Instructions are the stage's instructions after FROM, in order.
	Instructions []*Instruction
	// Args and Envs are the stage's ARG and ENV declarations in order.
	Args, Envs []*Var
	// Runs, Copies and Labels are the stage's RUN, COPY/ADD and LABEL instructions in order.
	Runs   []*Run
	Copies []*Copy
	Labels []*Label

	env   *scope   // variables in scope at the end of the stage
	shell []string // SHELL at the end of the stage
	wd    string   // WORKDIR at the end of the stage
	user  string   // USER at the end of the stage
}

// Targetable reports whether the stage can be built on its own: it is the last stage or it has a name
// that --target can select.
func (s *Stage) Targetable() bool { return s.Final || s.Name != "" }

// String returns the stage's name, or its index when it has none.
func (s *Stage) String() string {
	if s.Name != "" {
		return s.Name
	}
	return strconv.Itoa(s.Index)
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Index is the instruction's position in File.Instructions.
	Index int
	// Keyword is the instruction keyword in upper case ("RUN", "COPY", ...).
	Keyword string
	// Command is BuildKit's typed instruction as instructions.ParseInstruction returns it: an
	// *instructions.Stage for FROM, an instructions.Command for all others. For RUN, COPY and ADD it is
	// expanded with the variables in scope (mounts, sources, destination).
	Command any
	// Stage is the stage the instruction belongs to; nil for meta ARGs.
	Stage *Stage
	// Location is BuildKit's location of the instruction: one Range per line, heredocs included.
	Location []parser.Range
	// Range spans the instruction's lines (whole lines), heredocs included.
	Range parser.Range
	// Text is the instruction as BuildKit's parser sees it: continuation lines joined, comment lines
	// inside them dropped, leading whitespace trimmed, heredoc bodies not included.
	Text Text
	// Heredocs are the instruction's heredocs in order.
	Heredocs []*Heredoc
	// Flags are the instruction's --flags as written.
	Flags []string
	// Comments are the comment lines directly above the instruction.
	Comments []string

	// At most one of the following typed views is set, according to Keyword.
	Run    *Run     // RUN
	Copy   *Copy    // COPY and ADD
	Vars   []*Var   // ARG and ENV
	Labels []*Label // LABEL

	argsOff int // offset in Text where the arguments start (after keyword and flags)
}

// ArgsText returns the part of Text after the keyword and the flags.
func (in *Instruction) ArgsText() Text { return in.Text.Slice(in.argsOff, in.Text.Len()) }

// Heredoc is a here-document attached to a RUN, COPY or ADD.
type Heredoc struct {
	// Name is the delimiter word without quotes.
	Name string
	// Expand is false when the delimiter was quoted (no variable expansion in the content).
	Expand bool
	// Chomp is set for <<- (leading tabs are removed from content lines).
	Chomp bool
	// FileDescriptor is the descriptor written before << (0 when none).
	FileDescriptor uint
	// Content is the body as written, line terminators included, tabs not removed.
	Content Text
	// Range spans the body's lines and the terminator line.
	Range parser.Range

	termCol int // where the delimiter starts in the terminator line
}

// Terminator returns the position of the delimiter that ends the heredoc.
func (h *Heredoc) Terminator() parser.Position {
	return parser.Position{Line: h.Range.End.Line, Character: h.termCol}
}

// Data returns the body as BuildKit uses it for a COPY source or a RUN script: with leading tabs removed
// when Chomp is set.
func (h *Heredoc) Data() Text {
	if !h.Chomp {
		return h.Content
	}
	return chompText(h.Content)
}

// VarKind tells ARG from ENV.
type VarKind int

const (
	// Arg is a build argument declared with ARG.
	Arg VarKind = iota + 1
	// Env is an environment variable declared with ENV; it is part of the image configuration.
	Env
)

func (k VarKind) String() string {
	switch k {
	case Arg:
		return "ARG"
	case Env:
		return "ENV"
	}
	return "VarKind(" + strconv.Itoa(int(k)) + ")"
}

// Var is one NAME or NAME=value of an ARG or ENV instruction.
type Var struct {
	Kind VarKind
	Name string
	// HasValue is set when a value is given: always for ENV, for ARG when it has a default.
	HasValue bool
	// Raw is the value as written, quotes kept; "" for an ARG without default.
	Raw string
	// Value is Raw expanded with the variables in scope; variables not known from the Dockerfile are
	// kept as written.
	Value string
	// Literal is Raw with quotes removed and every variable reference replaced by what it yields when
	// no variable is set (nothing, or the default of ${X:-default}): the part of the value that is
	// written in the Dockerfile itself. "" for "${TOKEN}".
	Literal string
	// Refs are the names of the variables Raw refers to, in order of first use.
	Refs []string
	// RefVars are the declarations Refs resolve to where the value is set (nil for a variable the
	// Dockerfile does not declare in scope, such as one from the base image).
	RefVars []*Var
	// Global is the meta ARG an ARG without default inherits its value from, if any.
	Global *Var
	// Inst is the ARG or ENV instruction.
	Inst *Instruction
	// Range is where NAME=value is written (NAME alone when the value cannot be located).
	Range parser.Range
}

// Label is one key=value of a LABEL instruction.
type Label struct {
	Key string
	// Raw is the value as written; Value is it expanded with the variables in scope.
	Raw, Value string
	Inst       *Instruction
	Range      parser.Range
}

// Copy is a COPY or ADD instruction.
type Copy struct {
	Inst *Instruction
	// Add is set for ADD.
	Add bool
	// Sources are the path or URL sources (heredoc sources are in Inst.Heredocs).
	Sources []*Source
	// Dest is the destination, expanded.
	Dest string
	// From is --from as written ("" when copying from the build context); FromStage is the stage it
	// names, if it names one.
	From      string
	FromStage *Stage
	// Chmod, Chown, Checksum are the flags as expanded; Exclude are the --exclude patterns.
	Chmod, Chown, Checksum string
	Exclude                []string
	Link, Parents          bool
}

// Source is one source argument of COPY or ADD.
type Source struct {
	// Raw is the source as written; Path is it expanded with the variables in scope.
	Raw, Path string
	Range     parser.Range
}

// IsRemote reports whether the source is a URL or a Git reference (only ADD accepts those).
func (s *Source) IsRemote() bool {
	p := s.Path
	for _, prefix := range []string{"http://", "https://", "git@", "git://", "ssh://"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// Run is a RUN instruction.
type Run struct {
	Inst *Instruction
	// Command is BuildKit's instruction with mounts expanded.
	Command *instructions.RunCommand
	// Mounts are the --mount options after variable expansion, parsed by BuildKit. When expansion or
	// parsing failed, Mounts is nil and MountsErr says why.
	Mounts    []*instructions.Mount
	MountsErr error
	// Exec is set for the exec (JSON) form.
	Exec bool
	// Args is the command line: the argv of the exec form, or the one shell command string of the shell
	// form (as BuildKit stores it, heredoc bodies not included).
	Args []string
	// Shell is the SHELL in effect.
	Shell []string
	// Script is what the shell runs (shell form), with positions; nil for the exec form unless the argv
	// is a shell's "-c" script. For `RUN <<EOF` it is the heredoc body; for a command with heredocs it is
	// the command followed by each heredoc body and delimiter, as BuildKit hands it to the shell.
	Script *Script
	// Workdir and User are the WORKDIR and USER in effect ("" until the Dockerfile sets them).
	Workdir, User string
	// Scope are the variables visible to the command: the ARGs and ENVs in scope, last declaration of
	// each name, in declaration order. ARGs are visible as environment variables during the RUN but are
	// not part of the image configuration.
	Scope []*Var
}

// MountsOf returns the mounts of type t.
func (r *Run) MountsOf(t instructions.MountType) []*instructions.Mount {
	var out []*instructions.Mount
	for _, m := range r.Mounts {
		if m.Type == t {
			out = append(out, m)
		}
	}
	return out
}

// Script is the text a RUN hands to its interpreter.
type Script struct {
	Text
	// Shebang is the first line of a `RUN <<EOF` body that starts with "#!". BuildKit runs such a body as
	// an executable file, not with the SHELL.
	Shebang string
}

// EdgeKind tells how one stage uses another.
type EdgeKind int

const (
	// EdgeBase is FROM <stage>: the stage starts from another one's filesystem and configuration.
	EdgeBase EdgeKind = iota + 1
	// EdgeCopy is COPY --from=<stage>.
	EdgeCopy
	// EdgeMount is RUN --mount=from=<stage>.
	EdgeMount
)

func (k EdgeKind) String() string {
	switch k {
	case EdgeBase:
		return "FROM"
	case EdgeCopy:
		return "COPY --from"
	case EdgeMount:
		return "RUN --mount=from"
	}
	return "EdgeKind(" + strconv.Itoa(int(k)) + ")"
}

// Edge is a use of one stage (or image, or named context) by another stage.
type Edge struct {
	Kind EdgeKind
	// Ref is the reference as written (after meta ARG expansion for FROM and mount options).
	Ref string
	// From is the stage Ref names; nil when it names an image or a named context.
	From *Stage
	// To is the stage that uses it.
	To *Stage
	// Inst is the FROM, COPY or RUN instruction.
	Inst *Instruction
	// Mount is the mount of an EdgeMount.
	Mount *instructions.Mount
}
