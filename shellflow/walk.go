package shellflow

import (
	"strconv"

	"mvdan.cc/sh/v3/syntax"
)

// unit is one piece of shell source: the RUN body, or a script nested in it
// (sh -c '…', eval, trap).
type unit struct {
	src  string
	base Pos // where line 1, column 1 of src is
}

func (u *unit) pos(p syntax.Pos) Pos {
	if u == nil || !p.IsValid() || p.IsRecovered() {
		if u == nil {
			return Pos{Line: 1, Col: 1}
		}
		return u.base
	}
	l, c := int(p.Line()), int(p.Col())
	if l <= 1 {
		return Pos{Line: u.base.Line, Col: u.base.Col + c - 1, Arg: u.base.Arg}
	}
	return Pos{Line: u.base.Line + l - 1, Col: c, Arg: u.base.Arg}
}

// snippet is source text for messages. It is cut out of the source only
// when a finding needs it.
type snippet struct {
	u          *unit
	start, end int
	s          string // the text itself, when u is nil
}

// text is the source of n.
func (u *unit) text(n syntax.Node) snippet {
	if u == nil {
		return snippet{}
	}
	return snippet{u: u, start: int(n.Pos().Offset()), end: int(n.End().Offset())}
}

func (sn snippet) isZero() bool { return sn.u == nil && sn.s == "" }

// String returns the text on one line.
func (sn snippet) String() string {
	if sn.u == nil {
		return sn.s
	}
	src := sn.u.src
	if sn.start < 0 || sn.start > len(src) || sn.end < sn.start {
		return ""
	}
	return shorten(src[sn.start:min(sn.end, len(src))])
}

type frameKind uint8

const (
	frameTop  frameKind = iota // the RUN: exits end the build step
	frameSub                   // a subshell: exits end it
	frameFunc                  // a function call: return ends it
	frameLoop                  // a loop: break and continue
)

// frame collects the states that leave a construct early.
type frame struct {
	kind  frameKind
	exits []*state // exit, return or break
	conts []*state // continue
}

func (a *analyzer) push(k frameKind) *frame {
	f := &frame{kind: k}
	a.frames = append(a.frames, f)
	return f
}

func (a *analyzer) pop() { a.frames = a.frames[:len(a.frames)-1] }

// top analyses the whole RUN: the statements of u, or the exec-form call c.
func (a *analyzer) top(st *state, u *unit, stmts []*syntax.Stmt, c *call) {
	f := a.push(frameTop)
	if c != nil {
		a.cur = c.fact("")
		a.run(st, c)
	} else {
		a.stmts(st, u, stmts)
	}
	a.pop()
	end := a.join(append(f.exits, st)...)
	a.final = a.runTrap(end, frameTop)
}

// runTrap runs the EXIT trap of st, if any.
func (a *analyzer) runTrap(st *state, k frameKind) *state {
	t := st.trap
	if st.dead || t == nil {
		return st
	}
	st.trap = nil
	f := a.push(k)
	a.withHoles(st, t.holes, func() { a.stmts(st, t.u, t.stmts) })
	a.pop()
	return a.join(append(f.exits, st)...)
}

// subshell runs fn on a copy of st; only effects on files come back.
func (a *analyzer) subshell(st *state, fn func(sub *state)) {
	sub := st.clone()
	sub.trap = nil
	f := a.push(frameSub)
	fn(sub)
	a.pop()
	end := a.runTrap(a.join(append(f.exits, sub)...), frameSub)
	if end.dead {
		return
	}
	st.files, st.pending = end.files, end.pending
	st.own &^= ownFiles | ownPending // end's maps may be shared
}

// exit ends the innermost shell. ok is false for a non-zero status, which at
// the top fails the build: nothing of that path reaches the image.
func (a *analyzer) exit(st *state, ok bool) {
	for i := len(a.frames) - 1; i >= 0; i-- {
		f := a.frames[i]
		if f.kind == frameTop || f.kind == frameSub {
			if ok || f.kind == frameSub {
				f.exits = append(f.exits, st.clone())
			}
			break
		}
	}
	st.dead = true
}

func (a *analyzer) ret(st *state) {
	for i := len(a.frames) - 1; i >= 0; i-- {
		f := a.frames[i]
		if f.kind == frameFunc {
			f.exits = append(f.exits, st.clone())
			st.dead = true
			return
		}
		if f.kind != frameLoop {
			break
		}
	}
	a.exit(st, true)
}

// breakLoop handles break n and continue n.
func (a *analyzer) breakLoop(st *state, cont bool, n int) {
	var target *frame
	for i := len(a.frames) - 1; i >= 0 && n > 0 && a.frames[i].kind == frameLoop; i-- {
		target = a.frames[i]
		n--
	}
	if target == nil {
		return // not in a loop: the shell ignores it
	}
	if cont {
		target.conts = append(target.conts, st.clone())
	} else {
		target.exits = append(target.exits, st.clone())
	}
	st.dead = true
}

func (a *analyzer) stmts(st *state, u *unit, list []*syntax.Stmt) {
	for _, s := range list {
		if st.dead || a.exhausted {
			return
		}
		a.stmt(st, u, s)
	}
}

// stmtText is the text of s for messages.
func (a *analyzer) stmtText(u *unit, s *syntax.Stmt) snippet {
	if !a.text.isZero() {
		return a.text
	}
	return u.text(s)
}

// tick counts one step of work and reports whether the budget allows it.
func (a *analyzer) tick(f fact) bool {
	if a.exhausted {
		return false
	}
	if a.steps++; a.steps > maxSteps {
		a.exhausted = true
		a.unsupportedAt(f, "script too large or too deeply nested: the analysis stopped here")
		return false
	}
	return true
}

func (a *analyzer) stmt(st *state, u *unit, s *syntax.Stmt) {
	prev := a.cur
	a.cur = fact{pos: u.pos(s.Pos()), text: a.stmtText(u, s)}
	defer func() { a.cur = prev }()
	if !a.tick(a.cur) {
		return
	}
	fd, in := st.fd, st.in
	hdoc := a.redirects(st, u, s)
	keepFDs := false
	switch cmd := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(cmd.Args) == 1 && cmd.Args[0].Lit() == "exec" {
			keepFDs = true // exec >file: for the rest of the script
			break
		}
		a.callExpr(st, u, s, cmd, hdoc)
	case *syntax.Block:
		a.stmts(st, u, cmd.Stmts)
	case *syntax.Subshell:
		a.subshell(st, func(sub *state) { a.stmts(sub, u, cmd.Stmts) })
	case *syntax.BinaryCmd:
		a.binary(st, u, cmd)
	case *syntax.IfClause:
		a.ifClause(st, u, cmd)
	case *syntax.WhileClause:
		a.stmts(st, u, cmd.Cond)
		a.loop(st, func(s *state) {
			a.stmts(s, u, cmd.Do)
			a.stmts(s, u, cmd.Cond)
		})
	case *syntax.ForClause:
		a.forClause(st, u, cmd)
	case *syntax.CaseClause:
		a.caseClause(st, u, cmd)
	case *syntax.FuncDecl:
		if a.funcs == nil {
			a.funcs = make(map[string]funcDef)
		}
		if cmd.Name != nil {
			a.funcs[cmd.Name.Value] = funcDef{cmd.Body, u}
		}
		for _, n := range cmd.Names {
			a.funcs[n.Value] = funcDef{cmd.Body, u}
		}
	case *syntax.DeclClause:
		a.declClause(st, u, s, cmd)
	case *syntax.ArithmCmd:
		a.arithm(st, u, cmd.X)
	case *syntax.LetClause:
		for _, x := range cmd.Exprs {
			a.arithm(st, u, x)
		}
	case *syntax.TestClause:
		a.testExpr(st, u, cmd.X)
	case *syntax.TimeClause:
		if cmd.Stmt != nil {
			a.stmt(st, u, cmd.Stmt)
		}
	case *syntax.CoprocClause:
		if cmd.Stmt != nil {
			a.subshell(st, func(sub *state) { a.stmt(sub, u, cmd.Stmt) })
		}
	}
	if !keepFDs {
		st.fd, st.in = fd, in
	}
}

func (a *analyzer) binary(st *state, u *unit, b *syntax.BinaryCmd) {
	switch b.Op {
	case syntax.AndStmt:
		// a && b is analysed as a sequence: the layer is kept only when the
		// RUN succeeds, and b runs whenever a succeeds.
		a.stmt(st, u, b.X)
		a.stmt(st, u, b.Y)
	case syntax.OrStmt:
		a.stmt(st, u, b.X)
		if st.dead {
			return
		}
		alt := st.clone()
		a.stmt(alt, u, b.Y)
		st.set(a.join(st, alt))
	case syntax.Pipe, syntax.PipeAll:
		if a.text.isZero() {
			// Messages show the whole pipeline: cat secret | base64 > f.
			a.text = u.text(b)
			defer func() { a.text = snippet{} }()
		}
		var out taint
		capture := &sink{kind: sinkCapture, cap: &out}
		a.subshell(st, func(sub *state) {
			sub.fd[1] = capture
			if b.Op == syntax.PipeAll {
				sub.fd[2] = capture
			}
			a.stmt(sub, u, b.X)
		})
		// The last element runs in the current shell, as with ksh, zsh and
		// bash's lastpipe: `… | read T` then taints T, which is conservative.
		in := st.in
		st.in = out
		a.stmt(st, u, b.Y)
		st.in = in
	}
}

func (a *analyzer) ifClause(st *state, u *unit, c *syntax.IfClause) {
	a.stmts(st, u, c.Cond)
	if st.dead {
		return
	}
	then := st.clone()
	a.stmts(then, u, c.Then)
	if e := c.Else; e != nil {
		if e.ThenPos.IsValid() {
			a.ifClause(st, u, e) // elif
		} else {
			a.stmts(st, u, e.Then) // else
		}
	}
	st.set(a.join(then, st))
}

// loop analyses a loop whose body runs zero or more times. The body is
// analysed twice so that taint can flow from one iteration to the next.
func (a *analyzer) loop(st *state, body func(*state)) {
	f := a.push(frameLoop)
	outs := []*state{st.clone()}
	cur := st.clone()
	for i := 0; i < 2 && !cur.dead && a.tick(a.cur); i++ {
		body(cur)
		cur = a.join(append(f.conts, cur)...)
		f.conts = nil
		outs = append(outs, cur)
		cur = cur.clone()
	}
	a.pop()
	st.set(a.join(append(outs, f.exits...)...))
}

func (a *analyzer) forClause(st *state, u *unit, fc *syntax.ForClause) {
	switch l := fc.Loop.(type) {
	case *syntax.WordIter:
		name := l.Name.Value
		var items []val
		if l.InPos.IsValid() {
			for _, it := range a.fields(st, u, l.Items) {
				items = append(items, it.val)
			}
		} else {
			items = st.args
		}
		unroll := len(items) > 0 && len(items) <= maxUnroll
		for _, it := range items {
			unroll = unroll && known(it.s) && !it.glob
		}
		if unroll {
			// Literal items: each iteration is analysed, in order, and
			// every one of them runs.
			f := a.push(frameLoop)
			for _, it := range items {
				if st.dead || !a.tick(a.cur) {
					break
				}
				a.setVar(st, name, it, false)
				a.stmts(st, u, fc.Do)
				st.set(a.join(append(f.conts, st)...))
				f.conts = nil
			}
			a.pop()
			st.set(a.join(append(f.exits, st)...))
			return
		}
		v := val{s: a.sym("$" + name)}
		if len(items) == 1 {
			v = items[0]
		}
		for _, it := range items {
			v.t |= it.t
		}
		a.loop(st, func(s *state) {
			a.setVar(s, name, v, false)
			a.stmts(s, u, fc.Do)
		})
	case *syntax.CStyleLoop:
		if l.Init != nil {
			a.arithm(st, u, l.Init)
		}
		a.loop(st, func(s *state) {
			if l.Cond != nil {
				a.arithm(s, u, l.Cond)
			}
			a.stmts(s, u, fc.Do)
			if l.Post != nil {
				a.arithm(s, u, l.Post)
			}
		})
	}
}

func (a *analyzer) caseClause(st *state, u *unit, c *syntax.CaseClause) {
	a.word(st, u, c.Word)
	var outs []*state
	catchAll := false
	for _, item := range c.Items {
		for _, p := range item.Patterns {
			catchAll = catchAll || p.Lit() == "*"
		}
		b := st.clone()
		a.stmts(b, u, item.Stmts)
		outs = append(outs, b)
	}
	if !catchAll {
		outs = append(outs, st)
	}
	st.set(a.join(outs...))
}

func (a *analyzer) callExpr(st *state, u *unit, s *syntax.Stmt, ce *syntax.CallExpr, hdoc *syntax.Word) {
	if len(ce.Args) == 0 {
		for _, as := range ce.Assigns {
			a.assign(st, u, as, false)
		}
		return
	}
	var env map[string]val
	for _, as := range ce.Assigns {
		if as.Name == nil {
			continue
		}
		if env == nil {
			env = make(map[string]val, len(ce.Assigns))
		}
		env[as.Name.Value] = a.assignValue(st, u, as)
	}
	c := &call{u: u, pos: u.pos(s.Pos()), text: a.stmtText(u, s), args: a.fields(st, u, ce.Args), env: env, hdoc: hdoc}
	a.run(st, c)
}

// --- redirections and output -------------------------------------------------

type sinkKind uint8

const (
	sinkNull    sinkKind = iota // discarded
	sinkFile                    // written to path
	sinkCapture                 // read by the shell: pipes, $(…)
)

// sink is where an output file descriptor goes. A nil *sink is the build
// log, which is not part of the image.
type sink struct {
	kind sinkKind
	path string
	f    fact
	cap  *taint
}

// emit sends data with taint t to file descriptor fd. how, when set, names
// the kind of write for a file sink ("environment dump").
func (a *analyzer) emit(st *state, fd int, t taint, how string) {
	sk := st.fd[fd]
	if t == 0 || sk == nil {
		return
	}
	switch sk.kind {
	case sinkCapture:
		*sk.cap |= t
	case sinkFile:
		f := sk.f
		if how != "" {
			f.how = how
		}
		a.write(st, sk.path, t, true, f)
	}
}

// redirects applies the redirections of s to st and returns the body of a
// heredoc on standard input, if any.
func (a *analyzer) redirects(st *state, u *unit, s *syntax.Stmt) (hdoc *syntax.Word) {
	if len(s.Redirs) == 0 {
		return nil
	}
	text := a.stmtText(u, s)
	for _, r := range s.Redirs {
		fd := -1
		if r.N != nil {
			n, err := strconv.Atoi(r.N.Value)
			if err != nil || n < 0 || n >= len(st.fd) {
				continue // {var}>file: not followed
			}
			fd = n
		}
		f := fact{pos: u.pos(r.OpPos), how: "redirect", text: text}
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob:
			if fd < 0 {
				fd = 1
			}
			st.fd[fd] = a.openSink(st, u, r.Word, r.Op == syntax.AppOut || r.Op == syntax.AppClob, f)
		case syntax.RdrAll, syntax.AppAll, syntax.RdrAllClob, syntax.AppAllClob:
			sk := a.openSink(st, u, r.Word, r.Op == syntax.AppAll || r.Op == syntax.AppAllClob, f)
			st.fd[1], st.fd[2] = sk, sk
		case syntax.RdrInOut:
			sk := a.openSink(st, u, r.Word, true, f)
			if fd > 0 {
				st.fd[fd] = sk
			}
		case syntax.DplOut:
			w := a.word(st, u, r.Word)
			if fd < 0 {
				fd = 1
			}
			if n, err := strconv.Atoi(w.s); err == nil {
				if n > 0 && n < len(st.fd) {
					st.fd[fd] = st.fd[n]
				}
				break
			}
			if w.s == "-" {
				st.fd[fd] = &sink{kind: sinkNull}
				break
			}
			// >&file, like &>file
			sk := a.openSink(st, u, r.Word, false, f)
			st.fd[1], st.fd[2] = sk, sk
		case syntax.RdrIn:
			if fd <= 0 {
				v := a.word(st, u, r.Word)
				v.s = a.abs(st, v.s)
				st.in = a.readTaint(st, v, false)
			}
		case syntax.Hdoc, syntax.DashHdoc:
			if fd <= 0 {
				st.in = a.word(st, u, r.Hdoc).t
				hdoc = r.Hdoc
			}
		case syntax.WordHdoc:
			if fd <= 0 {
				st.in = a.word(st, u, r.Word).t
			}
		}
	}
	return hdoc
}

// openSink opens the target of an output redirection.
func (a *analyzer) openSink(st *state, u *unit, w *syntax.Word, appendMode bool, f fact) *sink {
	v := a.word(st, u, w)
	p := a.abs(st, v.s)
	switch p {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return st.fd[1]
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return st.fd[2]
	}
	if _, ok := a.outProcs[p]; ok {
		return &sink{kind: sinkFile, path: p, f: f}
	}
	if under(p, "/dev") || under(p, "/proc") || under(p, "/sys") {
		return &sink{kind: sinkNull}
	}
	a.write(st, p, 0, appendMode, f)
	return &sink{kind: sinkFile, path: p, f: f}
}
