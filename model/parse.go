package model

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Parse builds the model of the Dockerfile data read under filename, with the ARG defaults written in
// it. Errors are BuildKit's, with their locations (parser.LocationError).
func Parse(filename string, data []byte) (*File, error) {
	return ParseArgs(filename, data, nil)
}

// ParseArgs is Parse with build arguments (name → value) that override ARG defaults, as the client's
// --build-arg values do.
func ParseArgs(filename string, data []byte, buildArgs map[string]string) (*File, error) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	f := &File{
		Filename:     filename,
		EscapeToken:  res.EscapeToken,
		Warnings:     res.Warnings,
		Instructions: make([]*Instruction, 0, len(res.AST.Children)),
	}
	f.source = strings.TrimPrefix(string(data), "\ufeff")
	f.starts = lineStarts(f.source)
	p := &parseState{
		f:            f,
		x:            newExpander(res.EscapeToken),
		buildArgs:    buildArgs,
		meta:         newScope(),
		defaultShell: DefaultShell(),
	}
	// BuildKit's lint checks are the converter's business: the linter has no Warn function. It reads
	// the `# check=` comments above an instruction, and needs its maps for that.
	var lint *linter.Linter
	for _, node := range res.AST.Children {
		if lint == nil && len(node.PrevComment) > 0 {
			lint = linter.New(&linter.Config{})
		}
		v, err := instructions.ParseInstructionWithLinter(node, lint)
		if err != nil {
			return nil, fmt.Errorf("dockerfile parse error on line %d: %w", node.StartLine, err)
		}
		if err := p.add(node, v); err != nil {
			return nil, err
		}
	}
	p.finish()
	return f, nil
}

type parseState struct {
	f            *File
	x            *expander
	buildArgs    map[string]string
	meta         *scope // meta ARGs
	cur          *Stage
	pending      []*Edge  // COPY --from and --mount=from= edges, resolved once all stages are known
	defaultShell []string // shared by the stages that do not set a SHELL

	argsOf *Instruction // the instruction args is the ArgsText of
	args   Text
}

func (p *parseState) add(node *parser.Node, v any) error {
	in := p.newInstruction(node, v)
	if st, ok := v.(*instructions.Stage); ok {
		p.addStage(in, st)
		return nil
	}
	if p.cur == nil {
		c, ok := v.(*instructions.ArgCommand)
		if !ok {
			return parser.WithLocation(errors.New("no build stage in current context"), node.Location())
		}
		p.addMetaArgs(in, c)
		return nil
	}
	st := p.cur
	in.Stage = st
	st.Instructions = append(st.Instructions, in)
	switch c := v.(type) {
	case *instructions.ArgCommand:
		p.addArgs(in, c)
	case *instructions.EnvCommand:
		p.addEnvs(in, c)
	case *instructions.LabelCommand:
		labels := make([]Label, len(c.Labels))
		for i, kv := range c.Labels {
			l := &labels[i]
			*l = Label{Key: p.x.expand(kv.Key, st.env), Raw: kv.Value, Value: p.x.expand(kv.Value, st.env), Inst: in}
			l.Range = p.pairRange(in, kv.Key, kv.Value)
			in.Labels = append(in.Labels, l)
			st.Labels = append(st.Labels, l)
		}
	case *instructions.CopyCommand:
		p.addCopy(in, c.From, false, &c.SourcesAndDest, c)
		cp := in.Copy
		cp.Chmod, cp.Chown, cp.Exclude, cp.Link, cp.Parents = c.Chmod, c.Chown, c.ExcludePatterns, c.Link, c.Parents
	case *instructions.AddCommand:
		p.addCopy(in, "", true, &c.SourcesAndDest, c)
		cp := in.Copy
		cp.Chmod, cp.Chown, cp.Exclude, cp.Link, cp.Checksum = c.Chmod, c.Chown, c.ExcludePatterns, c.Link, c.Checksum
	case *instructions.RunCommand:
		p.addRun(in, c)
	case *instructions.WorkdirCommand:
		wd := p.x.expand(c.Path, st.env)
		if !path.IsAbs(wd) {
			wd = path.Join("/", st.wd, wd)
		}
		st.wd = wd
	case *instructions.UserCommand:
		st.user = p.x.expand(c.User, st.env)
	case *instructions.ShellCommand:
		st.shell = slices.Clone(c.Shell) // a new slice: the RUNs before keep the SHELL they saw
	}
	return nil
}

func (p *parseState) newInstruction(node *parser.Node, v any) *Instruction {
	f := p.f
	in := &Instruction{
		Index:    len(f.Instructions),
		Keyword:  strings.ToUpper(node.Value),
		Command:  v,
		Location: location(node, v),
		Range: parser.Range{
			Start: parser.Position{Line: node.StartLine},
			End:   parser.Position{Line: max(node.EndLine, node.StartLine)},
		},
		Flags:    node.Flags,
		Comments: node.PrevComment,
	}
	var last int
	in.Text, last = p.logicalLine(node)
	in.argsOff = argsOffset(in.Text.String(), byte(f.EscapeToken))
	in.Heredocs = p.heredocs(node, last)
	f.Instructions = append(f.Instructions, in)
	return in
}

// location returns BuildKit's location of the instruction, without computing it again.
func location(node *parser.Node, v any) []parser.Range {
	switch c := v.(type) {
	case *instructions.Stage:
		return c.Location
	case instructions.Command:
		return c.Location()
	}
	return node.Location()
}

func (p *parseState) addStage(in *Instruction, c *instructions.Stage) {
	f := p.f
	st := &Stage{
		Index:    len(f.Stages),
		Name:     c.Name,
		Base:     c.BaseName,
		Platform: c.Platform,
		From:     in,
	}
	st.BaseExpanded = p.x.expand(c.BaseName, p.meta)
	in.Stage = st
	if base := f.Stage(st.BaseExpanded, false); base != nil {
		st.BaseStage = base
		st.env = base.env.inherit()
		st.shell, st.wd, st.user = base.shell, base.wd, base.user
	} else {
		st.env = newScope()
		st.shell = p.defaultShell
	}
	f.Stages = append(f.Stages, st)
	f.Edges = append(f.Edges, &Edge{Kind: EdgeBase, Ref: st.BaseExpanded, From: st.BaseStage, To: st, Inst: in})
	p.cur = st
}

func (p *parseState) addMetaArgs(in *Instruction, c *instructions.ArgCommand) {
	vars := make([]Var, len(c.Args))
	for i, kv := range c.Args {
		v := p.newVar(&vars[i], Arg, in, kv.Key, kv.Value, p.meta)
		value, ok := "", false
		if bv, has := p.buildArgs[kv.Key]; has {
			value, ok = bv, true
		} else if v.HasValue {
			value, ok = p.x.expand(v.Raw, p.meta), true
		}
		v.Value = value
		p.meta.set(v, value, ok)
		in.Vars = append(in.Vars, v)
		p.f.MetaArgs = append(p.f.MetaArgs, v)
	}
}

func (p *parseState) addArgs(in *Instruction, c *instructions.ArgCommand) {
	st := p.cur
	vars := make([]Var, len(c.Args))
	for i, kv := range c.Args {
		v := p.newVar(&vars[i], Arg, in, kv.Key, kv.Value, st.env)
		value, ok := "", false
		if bv, has := p.buildArgs[kv.Key]; has {
			value, ok = bv, true
		} else if v.HasValue {
			value, ok = p.x.expand(v.Raw, st.env), true
		}
		if !v.HasValue {
			if g := p.meta.lookup(kv.Key); g != nil {
				v.Global = g
				if !ok {
					value, ok = p.meta.Get(kv.Key)
				}
			}
		}
		v.Value = value
		st.env.set(v, value, ok)
		in.Vars = append(in.Vars, v)
		st.Args = append(st.Args, v)
	}
}

func (p *parseState) addEnvs(in *Instruction, c *instructions.EnvCommand) {
	st := p.cur
	// All pairs of one ENV expand with the variables in scope before it, as in BuildKit.
	vars := make([]Var, len(c.Env))
	for i, kv := range c.Env {
		raw := kv.Value
		v := p.newVar(&vars[i], Env, in, kv.Key, &raw, st.env)
		v.Value = p.x.expand(raw, st.env)
	}
	for i := range vars {
		v := &vars[i]
		st.env.set(v, v.Value, true)
		in.Vars = append(in.Vars, v)
		st.Envs = append(st.Envs, v)
	}
}

// newVar fills in v, the declaration of name in instruction in, and returns it.
func (p *parseState) newVar(v *Var, kind VarKind, in *Instruction, name string, value *string, env *scope) *Var {
	*v = Var{Kind: kind, Name: name, Inst: in}
	if value != nil {
		v.HasValue = true
		v.Raw = *value
		v.Literal, v.Refs = p.x.literal(v.Raw)
		if len(v.Refs) > 0 {
			v.RefVars = make([]*Var, len(v.Refs))
			for i, r := range v.Refs {
				v.RefVars[i] = env.lookup(r)
			}
		}
	}
	v.Range = p.pairRange(in, name, v.Raw)
	return v
}

func (p *parseState) addCopy(in *Instruction, from string, add bool, sd *instructions.SourcesAndDest, cmd instructions.SupportsSingleWordExpansion) {
	st := p.cur
	raw := slices.Clone(sd.SourcePaths)
	_ = cmd.Expand(p.x.expandErr(st.env)) // on error the words stay as far as they expanded
	cp := &Copy{Inst: in, Add: add, Dest: sd.DestPath, From: from}
	args := in.ArgsText()
	cursor := 0
	srcs := make([]Source, len(raw))
	for i, r := range raw {
		src := &srcs[i]
		*src = Source{Raw: r, Path: r}
		if i < len(sd.SourcePaths) {
			src.Path = sd.SourcePaths[i]
		}
		if j := strings.Index(args.String()[cursor:], r); j >= 0 && r != "" {
			src.Range = args.Range(cursor+j, cursor+j+len(r))
			cursor += j + len(r)
		} else {
			src.Range = in.Range
		}
		cp.Sources = append(cp.Sources, src)
	}
	in.Copy = cp
	st.Copies = append(st.Copies, cp)
	if from != "" {
		p.pending = append(p.pending, &Edge{Kind: EdgeCopy, Ref: from, To: st, Inst: in})
	}
}

func (p *parseState) addRun(in *Instruction, c *instructions.RunCommand) {
	st := p.cur
	r := &Run{
		Inst:    in,
		Command: c,
		Exec:    !c.PrependShell,
		Args:    c.CmdLine,
		Shell:   st.shell,
		Workdir: st.wd,
		User:    st.user,
		Scope:   st.env.snapshot(),
	}
	if err := c.Expand(p.x.expandErr(st.env)); err != nil {
		r.MountsErr = parser.WithLocation(err, in.Location)
	} else {
		r.Mounts = instructions.GetMounts(c)
	}
	r.Script = p.script(in, c)
	in.Run = r
	st.Runs = append(st.Runs, r)
	for _, m := range r.Mounts {
		if m.From != "" {
			p.pending = append(p.pending, &Edge{Kind: EdgeMount, Ref: m.From, To: st, Inst: in, Mount: m})
		}
	}
}

// script returns what the RUN's interpreter is given, mapped to the Dockerfile (see Run.Script).
func (p *parseState) script(in *Instruction, c *instructions.RunCommand) *Script {
	if !c.PrependShell {
		return execScript(in, c.CmdLine)
	}
	if len(c.CmdLine) != 1 {
		return nil
	}
	body := c.CmdLine[0]
	text := in.Text.String()
	off := len(strings.TrimRightFunc(text, unicode.IsSpace)) - len(body)
	var cmd Text
	if off >= 0 && text[off:off+len(body)] == body {
		cmd = in.Text.Slice(off, off+len(body))
	} else {
		cmd = NewText(body, in.Range.Start)
	}
	if len(in.Heredocs) == 0 {
		return &Script{Text: cmd}
	}
	if isHeredocWord(body) && parser.MustParseHeredoc(body) != nil {
		// RUN <<EOF: the body is the script.
		data := in.Heredocs[0].Data()
		s := &Script{Text: data}
		if strings.HasPrefix(data.String(), "#!") {
			line, _, _ := strings.Cut(data.String(), "\n")
			s.Shebang = strings.TrimRight(line, "\r")
		}
		return s
	}
	// A command with heredocs: BuildKit hands the shell the command, a newline, and each heredoc's body
	// and delimiter.
	parts := []Text{cmd}
	nl := in.Text.Position(in.Text.Len())
	for _, h := range in.Heredocs {
		term := h.Terminator()
		parts = append(parts, NewText("\n", nl), h.Content, NewText(h.Name, term))
		nl = parser.Position{Line: term.Line, Character: term.Character + len(h.Name)}
	}
	return &Script{Text: concat(parts...)}
}

// isHeredocWord reports whether s may be a heredoc word, as parser.ParseHeredoc requires: digits,
// then "<<".
func isHeredocWord(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, "0123456789"), "<<")
}

// execScript returns the script of an exec-form RUN that runs a shell with -c, such as
// ["/bin/bash", "-ec", "script"]; nil otherwise.
func execScript(in *Instruction, argv []string) *Script {
	if len(argv) < 3 {
		return nil
	}
	switch path.Base(argv[0]) {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "busybox":
	default:
		return nil
	}
	for i := 1; i < len(argv)-1; i++ {
		a := argv[i]
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.HasSuffix(a, "c") {
			s := argv[i+1]
			text := in.Text.String()
			if j := strings.Index(text, s); j >= 0 && s != "" {
				return &Script{Text: in.Text.Slice(j, j+len(s))}
			}
			return &Script{Text: NewText(s, in.Range.Start)}
		}
	}
	return nil
}

func (p *parseState) finish() {
	f := p.f
	if len(f.Stages) > 0 {
		f.Stages[len(f.Stages)-1].Final = true
	}
	for _, e := range p.pending {
		e.From = f.Stage(e.Ref, e.Kind == EdgeCopy)
		if e.Kind == EdgeCopy {
			e.Inst.Copy.FromStage = e.From
		}
		f.Edges = append(f.Edges, e)
	}
	slices.SortStableFunc(f.Edges, func(a, b *Edge) int { return a.Inst.Index - b.Inst.Index })
}

// argsText returns in.ArgsText(), made once for the instruction whose pairs pairRange locates.
func (p *parseState) argsText(in *Instruction) Text {
	if p.argsOf != in {
		p.argsOf, p.args = in, in.ArgsText()
	}
	return p.args
}

// pairRange locates NAME=value (or NAME value, or NAME) in the instruction's arguments.
func (p *parseState) pairRange(in *Instruction, name, raw string) parser.Range {
	args := p.argsText(in)
	s := args.String()
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], name)
		if j < 0 {
			break
		}
		j += from
		end := j + len(name)
		if (j == 0 || isSpace(s[j-1]) || s[j-1] == '"') && (end == len(s) || s[end] == '=' || s[end] == '"' || isSpace(s[end])) {
			rest := s[end:]
			switch {
			case raw != "" && strings.HasPrefix(rest, "=") && strings.HasPrefix(rest[1:], raw):
				end += 1 + len(raw)
			case raw != "" && strings.HasPrefix(strings.TrimLeft(rest, " \t"), raw):
				end = len(s) - len(strings.TrimLeft(rest, " \t")) + len(raw)
			}
			return args.Range(j, end)
		}
		from = j + 1
	}
	return in.Range
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' }

// argsOffset returns where the arguments start in an instruction's logical line: after the keyword and
// the --flags, the way BuildKit's splitCommand and extractBuilderFlags find them.
func argsOffset(line string, esc byte) int {
	i := skipSpace(line, 0)
	for i < len(line) && !isSpaceByte(line[i]) {
		i++ // the keyword
	}
	for {
		i = skipSpace(line, i)
		if !strings.HasPrefix(line[i:], "--") {
			return i
		}
		end := flagEnd(line, i, esc)
		if line[i:end] == "--" {
			return skipSpace(line, end)
		}
		i = end
	}
}

// flagEnd returns where the --flag word starting at i ends: at unquoted, unescaped white space.
func flagEnd(line string, i int, esc byte) int {
	var quote byte
	for ; i < len(line); i++ {
		switch ch := line[i]; {
		case quote != 0 && ch == quote:
			quote = 0
		case ch == esc:
			i++
		case quote != 0:
		case ch == '\'' || ch == '"':
			quote = ch
		case isSpaceByte(ch):
			return i
		}
	}
	return len(line)
}

func skipSpace(line string, i int) int {
	for i < len(line) && isSpaceByte(line[i]) {
		i++
	}
	return i
}

// isSpaceByte is unicode.IsSpace(rune(b)).
func isSpaceByte(b byte) bool {
	switch b {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}
