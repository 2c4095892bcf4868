package shellflow

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

func (a *analyzer) sudo(st *state, c *call) {
	o := parseOpts(c.args[1:], "-u --user -g --group -h --host -p --prompt -C --close-from -D --chdir -r --role -t --type -U --other-user -T --command-timeout", true)
	if len(o.ops) == 0 {
		return
	}
	d := c.with(o.ops)
	d.noFunc = true
	if !o.has("-E", "--preserve-env") {
		d.clearEnv = true // sudo resets the environment
	}
	user := "root"
	if u, ok := o.value("-u", "--user"); ok {
		user = u.s
	}
	d = d.setEnv("HOME", val{s: a.userHome(user)})
	if o.has("-s", "-i", "--shell", "--login") {
		// sudo -s cmd args runs "$SHELL -c 'cmd args'".
		script := arg{pos: d.args[0].pos}
		parts := make([]string, len(d.args))
		for i, ar := range d.args {
			parts[i] = ar.s
			script.t |= ar.t
		}
		script.s = strings.Join(parts, " ")
		a.run(st, d.with([]arg{{val: val{s: "sh"}}, {val: val{s: "-c"}}, script}))
		return
	}
	a.run(st, d)
}

func (a *analyzer) envCmd(st *state, c *call) {
	d := c.with(nil)
	args := c.args[1:]
	for len(args) > 0 {
		s := args[0].s
		switch {
		case s == "-i" || s == "-" || s == "--ignore-environment":
			d.clearEnv = true
		case s == "-u" || s == "--unset" || s == "-C" || s == "--chdir":
			if len(args) > 1 {
				if s == "-u" || s == "--unset" {
					d = d.setEnv(args[1].s, val{})
				}
				args = args[1:]
			}
		case strings.HasPrefix(s, "--unset="):
			d = d.setEnv(s[len("--unset="):], val{})
		case s == "-S" || strings.HasPrefix(s, "--split-string"):
			a.unsupportedAt(c.fact(""), "env -S: the command line it splits is not analysed")
			return
		case strings.HasPrefix(s, "-"):
		case strings.Contains(s, "=") && !strings.HasPrefix(s, "="):
			name, v, _ := strings.Cut(s, "=")
			d = d.setEnv(name, val{s: v, t: args[0].t})
		default:
			d.args = args
			d.noFunc = true
			a.run(st, d)
			return
		}
		args = args[1:]
	}
	a.emit(st, 1, a.envTaint(st, d, false), "environment dump")
}

func (a *analyzer) xargs(st *state, c *call) {
	o := parseOpts(c.args[1:], "-I -d -E -L -n -P -s -a --arg-file --delimiter --max-args --max-procs --max-lines --replace --eof --max-chars", true)
	args := slices.Clone(o.ops)
	if len(args) == 0 {
		args = []arg{{val: val{s: "echo"}}}
	}
	in := st.in
	if f, ok := o.value("-a", "--arg-file"); ok {
		in = a.readTaint(st, a.absVal(st, f.val), false)
	}
	repl := ""
	if v, ok := o.value("-I", "--replace"); ok {
		repl = v.s
	} else if o.has("-i") {
		repl = "{}"
	}
	if repl != "" {
		for i := range args {
			if strings.Contains(args[i].s, repl) {
				args[i].t |= in
				args[i].s = strings.ReplaceAll(args[i].s, repl, a.sym(repl))
				args[i].w = nil
			}
		}
	} else {
		args = append(args, arg{val: val{s: a.sym("…"), t: in}, pos: c.pos})
	}
	d := c.with(args)
	d.noFunc = true
	saved := st.in
	st.in = 0
	a.run(st, d)
	st.in = saved
}

func isShell(s string) bool {
	switch path.Base(s) {
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh":
		return true
	}
	return false
}

// shellScriptArg returns the index of the script in a shell command line
// (["sh", "-c", "script"]), or -1.
func shellScriptArg(args []arg) int {
	if len(args) == 0 || !isShell(args[0].s) {
		return -1
	}
	if i, c := shellOperand(args); c {
		return i
	}
	return -1
}

// shellOperand returns the index of the first operand of a shell command
// line (or -1) and whether -c was given.
func shellOperand(args []arg) (int, bool) {
	c := false
	for i := 1; i < len(args); i++ {
		s := args[i].s
		switch {
		case s == "-o" || s == "+o" || s == "-O" || s == "+O" || s == "--rcfile" || s == "--init-file":
			i++
		case s == "--":
			if i+1 < len(args) {
				return i + 1, c
			}
			return -1, c
		case strings.HasPrefix(s, "--"):
		case strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+"):
			c = c || s[0] == '-' && strings.Contains(s, "c")
		default:
			return i, c
		}
	}
	return -1, c
}

// shell analyses sh/bash with args (after the shell's name).
func (a *analyzer) shell(st *state, c *call, args []arg) {
	full := append([]arg{c.args[0]}, args...)
	i, cflag := shellOperand(full)
	switch {
	case i >= 0 && cflag:
		var pos []val
		if i+2 < len(full) {
			for _, ar := range full[i+2:] {
				pos = append(pos, ar.val)
			}
		}
		a.shellScript(st, c, full[i], pos)
		return
	case i >= 0:
		a.program(st, c) // a script file
		return
	}
	if c.hdoc != nil {
		// sh <<EOF … EOF: the shell reads the heredoc as its script.
		if sc, ok := a.scriptOf(st, c.u, arg{w: c.hdoc}, true); ok {
			a.nestedShell(st, c, sc, nil)
		}
	}
}

func (a *analyzer) su(st *state, c *call) {
	o := parseOpts(c.args[1:], "-c --command -s --shell -g --group -G --supp-group -w --whitelist-environment -u --user", false)
	user := "root"
	ops := o.ops
	if len(ops) > 0 && ops[0].s == "-" {
		ops = ops[1:]
	}
	if u, ok := o.value("-u", "--user"); ok {
		user = u.s
	} else if len(ops) > 0 {
		user, ops = ops[0].s, ops[1:]
	}
	d := c.with(nil)
	if !o.has("-m", "-p", "--preserve-environment") {
		d = d.setEnv("HOME", val{s: a.userHome(user)})
	}
	script, ok := o.value("-c", "--command")
	if !ok {
		if path.Base(c.args[0].s) == "runuser" && len(ops) > 0 {
			d.args = ops
			a.run(st, d)
		}
		return
	}
	a.shellScript(st, d, script, nil)
}

// shellScript analyses script, the text of sh -c, in a new shell.
func (a *analyzer) shellScript(st *state, c *call, script arg, positional []val) {
	sc, ok := a.scriptOf(st, c.u, script, false)
	if !ok {
		a.unsupportedAt(c.fact(""), "shell script built at run time ("+shorten(a.display(script.s))+"): not analysed")
		return
	}
	a.nestedShell(st, c, sc, positional)
}

func (a *analyzer) nestedShell(st *state, c *call, sc nestedScript, positional []val) {
	f, u := a.parseNested(sc, c.fact(""))
	if f == nil {
		return
	}
	a.depth++
	funcs, text := a.funcs, a.text
	a.funcs = nil // a new shell does not know the functions
	if len(sc.holes) > 0 && a.text.isZero() {
		a.text = c.text // the inner text has placeholders: show the outer command
	}
	a.subshell(st, func(sub *state) {
		// A new shell sees the environment, not the shell's variables.
		for k, v := range sub.vars {
			if !v.exported || c.clearEnv {
				delete(sub.wvars(), k)
			}
		}
		for k, v := range c.env {
			sub.wvars()[k] = variable{val: v, exported: true}
		}
		for i, h := range sc.holes {
			sub.wvars()[holeName(i)] = variable{val: h}
		}
		sub.args = positional
		a.stmts(sub, u, f.Stmts)
	})
	a.funcs, a.text = funcs, text
	a.depth--
}

func (a *analyzer) eval(st *state, c *call) {
	args := c.args[1:]
	if len(args) == 0 {
		return
	}
	var sc nestedScript
	ok := true
	if len(args) == 1 {
		sc, ok = a.scriptOf(st, c.u, args[0], false)
	} else {
		// eval joins its arguments with spaces.
		var b strings.Builder
		ok = false
		for i, ar := range args {
			if i > 0 {
				b.WriteByte(' ')
			}
			if known(ar.s) && ar.t == 0 {
				b.WriteString(ar.s)
				ok = true
				continue
			}
			b.WriteString("${" + holeName(len(sc.holes)) + "}")
			sc.holes = append(sc.holes, ar.val)
		}
		sc.src, sc.base = b.String(), args[0].pos
	}
	if !ok {
		a.unsupportedAt(c.fact(""), "eval of text built at run time: not analysed")
		a.dynamicAssign(st, c, c.argTaint())
		return
	}
	if len(sc.holes) > 0 {
		a.unsupportedAt(c.fact(""), "eval of text built at run time: its expansions are analysed as plain words")
	}
	f, u := a.parseNested(sc, c.fact(""))
	if f == nil {
		return
	}
	a.depth++
	text := a.text
	if len(sc.holes) > 0 && a.text.isZero() {
		a.text = c.text
	}
	a.withHoles(st, sc.holes, func() { a.stmts(st, u, f.Stmts) })
	a.depth--
	a.text = text
}

// trap is an EXIT trap: statements run when the shell exits.
type trap struct {
	u     *unit
	stmts []*syntax.Stmt
	holes []val
}

func (a *analyzer) trap(st *state, c *call) {
	o := parseOpts(c.args[1:], "", false)
	if o.has("-p", "-l") || len(o.ops) == 0 {
		return
	}
	handler, sigs := o.ops[0], o.ops[1:]
	if len(sigs) == 0 {
		sigs, handler = o.ops, arg{val: val{s: "-"}} // trap SIG: reset
	}
	onExit := false
	for _, s := range sigs {
		switch strings.ToUpper(s.s) {
		case "EXIT", "0", "SIGEXIT":
			onExit = true
		}
	}
	if !onExit {
		return
	}
	if handler.s == "" || handler.s == "-" {
		st.trap = nil
		return
	}
	sc, ok := a.scriptOf(st, c.u, handler, false)
	if !ok {
		a.unsupportedAt(c.fact(""), "EXIT trap built at run time: not analysed")
		st.trap = nil
		return
	}
	f, u := a.parseNested(sc, c.fact(""))
	if f == nil {
		st.trap = nil
		return
	}
	st.trap = &trap{u: u, stmts: f.Stmts, holes: sc.holes}
}

func (a *analyzer) set(st *state, c *call) {
	args := c.args[1:]
	if len(args) == 0 {
		a.emit(st, 1, a.envTaint(st, c, true), "environment dump")
		return
	}
	for i, ar := range args {
		if ar.s == "--" || !strings.HasPrefix(ar.s, "-") && !strings.HasPrefix(ar.s, "+") {
			rest := args[i:]
			if ar.s == "--" {
				rest = args[i+1:]
			}
			st.args = make([]val, 0, len(rest))
			for _, r := range rest {
				st.args = append(st.args, r.val)
			}
			return
		}
		if ar.s == "-o" || ar.s == "+o" {
			if i+1 < len(args) && args[i+1].s == "allexport" {
				st.allexport = ar.s == "-o"
			}
			return
		}
		if strings.Contains(ar.s, "a") {
			st.allexport = ar.s[0] == '-'
		}
	}
}

// declClause handles export, declare, local, readonly and typeset as parsed
// by bash.
func (a *analyzer) declClause(st *state, u *unit, s *syntax.Stmt, dc *syntax.DeclClause) {
	c := &call{u: u, pos: u.pos(s.Pos()), text: a.stmtText(u, s), args: []arg{{val: val{s: dc.Variant.Value}}}}
	var flags []string
	var names []*syntax.Assign
	for _, as := range dc.Args {
		if as.Naked && as.Name == nil {
			w := a.word(st, u, as.Value)
			if strings.HasPrefix(w.s, "-") || strings.HasPrefix(w.s, "+") {
				flags = append(flags, w.s)
			} else {
				a.dynamicAssign(st, c, w.t)
			}
			continue
		}
		names = append(names, as)
	}
	export, dump, ok := a.declFlags(dc.Variant.Value, flags, len(names) == 0)
	if !ok {
		return
	}
	if dump != 0 {
		a.emit(st, 1, a.envTaint(st, c, dump == dumpAll), "environment dump")
		return
	}
	if slices.ContainsFunc(flags, func(f string) bool { return f[0] == '-' && strings.Contains(f, "p") }) {
		var t taint
		for _, as := range names {
			v, _ := a.lookup(st, as.Name.Value)
			t |= v.t
		}
		a.emit(st, 1, t, "")
		return
	}
	for _, as := range names {
		a.declare(st, as.Name.Value, as.Naked, func() val {
			v := a.assignValue(st, u, as)
			if as.Append {
				old, _ := a.lookup(st, as.Name.Value)
				v = val{s: old.s + v.s, t: old.t | v.t}
			}
			return v
		}, export)
	}
}

// dynamicAssign handles assignments whose names are computed at run time,
// such as export $(cat /run/secrets/env | xargs): from then on, every
// variable the script does not set is taken to derive from t.
func (a *analyzer) dynamicAssign(st *state, c *call, t taint) {
	if t == 0 {
		return
	}
	st.wild |= t
	a.noteAt(c.fact(""), "variables set from secret-derived text of unknown names: every variable the script does not set is taken to derive from it")
}

const (
	dumpExported = 1
	dumpAll      = 2
)

// declFlags interprets the options of export/declare/…: whether the names
// are exported (1), unexported (-1) or neither (0), and whether the command
// prints variables instead.
func (a *analyzer) declFlags(variant string, flags []string, noNames bool) (export, dump int, ok bool) {
	var set, unset string
	for _, f := range flags {
		if f[0] == '-' {
			set += f[1:]
		} else {
			unset += f[1:]
		}
	}
	if strings.ContainsAny(set, "fF") {
		return 0, 0, false // functions
	}
	if variant == "export" {
		export = 1
		if strings.Contains(set, "n") {
			export = -1
		}
	}
	if strings.Contains(set, "x") {
		export = 1
	}
	if strings.Contains(unset, "x") {
		export = -1
	}
	if noNames {
		switch {
		case variant == "export" || strings.Contains(set, "x"):
			dump = dumpExported
		case variant == "declare" || variant == "typeset":
			dump = dumpAll
		}
	}
	return export, dump, true
}

func (a *analyzer) declare(st *state, name string, naked bool, value func() val, export int) {
	if naked {
		v, ok := st.vars[name]
		if !ok {
			if export <= 0 {
				return
			}
			lv, _ := a.lookup(st, name)
			v.val = lv
		}
		if export != 0 {
			v.exported = export > 0
		}
		st.wvars()[name] = v
		return
	}
	a.setVar(st, name, value(), export > 0)
	if export < 0 {
		v := st.vars[name]
		v.exported = false
		st.wvars()[name] = v
	}
}

// declArgs handles export and friends as plain commands (POSIX sh, command
// export …).
func (a *analyzer) declArgs(st *state, c *call, variant string) {
	var flags []string
	var names []arg
	for _, ar := range c.args[1:] {
		if strings.HasPrefix(ar.s, "-") || strings.HasPrefix(ar.s, "+") {
			flags = append(flags, ar.s)
			continue
		}
		names = append(names, ar)
	}
	export, dump, ok := a.declFlags(variant, flags, len(names) == 0)
	if !ok {
		return
	}
	if dump != 0 {
		a.emit(st, 1, a.envTaint(st, c, dump == dumpAll), "environment dump")
		return
	}
	for _, ar := range names {
		name, v, hasV := strings.Cut(ar.s, "=")
		if !syntax.ValidName(name) {
			a.dynamicAssign(st, c, ar.t)
			continue
		}
		a.declare(st, name, !hasV, func() val { return val{s: v, t: ar.t} }, export)
	}
}
