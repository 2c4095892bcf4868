package shellflow

import (
	"maps"
	"path"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// taint is the set of secrets a value derives from: bit i%64 stands for
// analyzer.secrets[i]. With more than 64 secrets in one RUN, secrets share
// bits and a leak names every secret of its bit.
type taint uint64

// Limits that keep the analysis cheap on any input.
const (
	maxSteps  = 20000 // statements and loop iterations analysed per RUN
	maxDepth  = 12    // nested function calls and nested scripts
	maxUnroll = 32    // for-loop items analysed one by one
	maxFields = 64    // words one brace expansion may produce
)

type secretFile struct {
	path string
	t    taint
}

type analyzer struct {
	secrets          []string // secret names; index = bit
	secretFiles      []secretFile
	ephemeral, cache []string
	spec             *Spec
	workdir          string
	home             string    // from Spec.Home; "" when not given
	reuse            *Analyzer // the shell parsers and the memory to reuse

	// The maps below are created on first write, as most RUNs need few of them.
	syms     []snippet         // display text of each symbol
	varSyms  map[string]string // symbol standing for the unknown value of a variable
	funcs    map[string]funcDef
	outProcs map[string]outProc // >(…) process substitutions by their path symbol
	dirs     map[string]bool    // paths known to be directories

	created, removed []PathEvent
	seenEvent        map[eventKey]bool
	stores           []*Store
	seenStore        map[wkey]int
	unsupported      []Note
	notes            []Note
	seenNote         map[Note]bool

	frames    []*frame
	final     *state
	steps     int
	exhausted bool
	depth     int
	cur       fact    // the statement being analysed, for notes
	text      snippet // when set, the text of every statement (see stmtText)
	homeNoted bool
}

type funcDef struct {
	body *syntax.Stmt
	u    *unit
}

type outProc struct {
	stmts []*syntax.Stmt
	u     *unit
}

type eventKey struct {
	removed bool
	path    string
	how     string
	pos     Pos
}

// fact is where a finding comes from.
type fact struct {
	pos  Pos
	how  string
	text snippet
}

// newAnalyzer returns the analyzer of spec, made in z's memory.
func newAnalyzer(spec *Spec, z *Analyzer) *analyzer {
	if z.dirs == nil {
		z.dirs = make(map[string]bool)
	}
	clear(z.dirs)
	z.a = analyzer{reuse: z, dirs: z.dirs, spec: spec}
	a := &z.a
	wd := cleanAbs(spec.Workdir, "/")
	if wd == "" {
		wd = "/"
	}
	a.workdir = wd
	a.dirs[wd] = true
	for _, f := range spec.SecretFiles {
		p := cleanAbs(f, wd)
		if p == "" {
			continue
		}
		a.secretFiles = append(a.secretFiles, secretFile{p, a.secretBit(p)})
		a.ephemeral = append(a.ephemeral, p)
		a.dirs[path.Dir(p)] = true
	}
	for _, e := range spec.Ephemeral {
		if p := cleanAbs(e, wd); p != "" {
			a.ephemeral = append(a.ephemeral, p)
		}
	}
	for _, e := range spec.Cache {
		if p := cleanAbs(e, wd); p != "" {
			a.cache = append(a.cache, p)
			a.dirs[p] = true
		}
	}
	for _, name := range spec.SecretEnv {
		if name != "" {
			a.secretBit(name)
		}
	}
	if spec.Home != "" {
		a.home = cleanAbs(spec.Home, "/")
	}
	if len(a.secrets) > 64 {
		a.unsupported = append(a.unsupported, Note{Pos: Pos{Line: 1, Col: 1}, Msg: "more than 64 secrets in one RUN: leaks may name secrets that share a taint bit"})
	}
	return a
}

// secretBit returns the taint of the named secret, adding it if new.
func (a *analyzer) secretBit(name string) taint {
	for i, s := range a.secrets {
		if s == name {
			return 1 << (i % 64)
		}
	}
	a.secrets = append(a.secrets, name)
	return 1 << ((len(a.secrets) - 1) % 64)
}

// names lists the secrets in t.
func (a *analyzer) names(t taint) []string {
	var out []string
	for i, s := range a.secrets {
		if t&(1<<(i%64)) != 0 {
			out = append(out, s)
		}
	}
	return out
}

func (a *analyzer) initialState() *state {
	// files and pending start empty: wfiles and wpending create them on the first write.
	z := a.reuse
	if z.vars == nil {
		z.vars = make(map[string]variable, len(a.spec.Env)+len(a.spec.SecretEnv)+1)
	}
	clear(z.vars)
	st := &state{vars: z.vars, cwd: a.workdir, own: ownVars}
	for k, v := range a.spec.Env {
		st.vars[k] = variable{val: val{s: v}, exported: true}
	}
	if a.home != "" {
		if _, ok := st.vars["HOME"]; !ok {
			st.vars["HOME"] = variable{val: val{s: a.home}, exported: true}
		}
	}
	for _, name := range a.spec.SecretEnv {
		st.vars[name] = variable{val: val{s: a.varSym(name), t: a.secretBit(name)}, exported: true}
	}
	return st
}

// --- symbols ---------------------------------------------------------------

// A symbol stands for text that is not known statically, such as the output
// of $(mktemp -d) or a variable the script never sets. Symbols are embedded
// in strings as "\x00<id>\x00" so that paths containing them can still be
// joined, cleaned and compared: writes to "$D/x" and "rm -rf $D" refer to the
// same directory even though its name is unknown.
func (a *analyzer) sym(display string) string { return a.symText(snippet{s: display}) }

// symText is sym with the display text cut from the source when needed.
func (a *analyzer) symText(display snippet) string {
	a.syms = append(a.syms, display)
	return "\x00" + strconv.Itoa(len(a.syms)-1) + "\x00"
}

func (a *analyzer) varSym(name string) string {
	if s, ok := a.varSyms[name]; ok {
		return s
	}
	s := a.sym("$" + name)
	if a.varSyms == nil {
		a.varSyms = make(map[string]string)
	}
	a.varSyms[name] = s
	return s
}

func known(s string) bool { return strings.IndexByte(s, 0) < 0 }

// display replaces the symbols in s by their display text.
func (a *analyzer) display(s string) string {
	if known(s) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		j := strings.IndexByte(s, 0)
		if j < 0 {
			return b.String()
		}
		if id, err := strconv.Atoi(s[:j]); err == nil && id < len(a.syms) {
			b.WriteString(a.syms[id].String())
		}
		s = s[j+1:]
	}
}

// --- notes and events -------------------------------------------------------

func (a *analyzer) unsupportedAt(f fact, msg string) {
	n := Note{Pos: f.pos, Msg: msg, Text: f.text.String()}
	if a.firstNote(n) {
		a.unsupported = append(a.unsupported, n)
	}
}

func (a *analyzer) noteAt(f fact, msg string) {
	n := Note{Pos: f.pos, Msg: msg, Text: f.text.String()}
	if a.firstNote(n) {
		a.notes = append(a.notes, n)
	}
}

// firstNote reports whether n is new, and records it.
func (a *analyzer) firstNote(n Note) bool {
	if a.seenNote[n] {
		return false
	}
	if a.seenNote == nil {
		a.seenNote = make(map[Note]bool)
	}
	a.seenNote[n] = true
	return true
}

func (a *analyzer) event(removed bool, p string, f fact) {
	k := eventKey{removed: removed, path: p, pos: f.pos}
	if removed {
		k.how = f.how
	}
	if a.seenEvent[k] {
		return
	}
	if a.seenEvent == nil {
		a.seenEvent = make(map[eventKey]bool)
	}
	a.seenEvent[k] = true
	ev := PathEvent{Path: a.display(p), Pos: f.pos, How: f.how, Text: f.text.String()}
	if removed {
		a.removed = append(a.removed, ev)
		return
	}
	ev.Ephemeral = a.isEphemeral(p)
	ev.Cache = !ev.Ephemeral && a.isCache(p)
	a.created = append(a.created, ev)
}

// --- paths -----------------------------------------------------------------

// isDir reports whether p is known to be a directory.
func (a *analyzer) isDir(p string) bool {
	switch p {
	case "/", "/tmp", "/var/tmp", "/root", "/home", "/etc", "/opt", "/srv", "/usr", "/usr/bin",
		"/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/share", "/usr/lib", "/bin", "/var", "/run":
		return true
	}
	return a.dirs[p]
}

func under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir) && p[len(dir)] == '/'
}

// isEphemeral reports whether writes to p are discarded when the RUN ends.
func (a *analyzer) isEphemeral(p string) bool {
	if under(p, "/dev") || under(p, "/proc") || under(p, "/sys") {
		return true
	}
	for _, e := range a.ephemeral {
		if under(p, e) {
			return true
		}
	}
	return false
}

func (a *analyzer) isCache(p string) bool {
	for _, c := range a.cache {
		if under(p, c) {
			return true
		}
	}
	return false
}

// abs resolves p against the working directory. A path starting with a
// symbol is left alone: the unknown text is likely absolute ($DIR/file).
func (a *analyzer) abs(st *state, p string) string {
	if p == "" {
		return ""
	}
	if p[0] != '/' && p[0] != 0 {
		p = st.cwd + "/" + p
	}
	return path.Clean(p)
}

// homeDir is the home directory the shell would use.
func (a *analyzer) homeDir(st *state) string {
	if v, ok := st.vars["HOME"]; ok {
		return v.s
	}
	if !a.homeNoted {
		a.homeNoted = true
		a.noteAt(a.cur, "~ and $HOME taken to be /root (the RUN's home directory was not given)")
	}
	return "/root"
}

// --- state -----------------------------------------------------------------

// state is what the analysis knows at one point of the script.
type state struct {
	dead    bool                // no execution reaches this point
	vars    map[string]variable // shell variables
	files   map[string]taint    // secret-derived files written by this RUN
	pending map[wkey]write      // writes that reach the layer unless undone later
	cwd     string
	in      taint     // secrets on standard input
	fd      [10]*sink // output file descriptors; nil is the build log
	trap    *trap     // the EXIT trap
	wild    taint     // taint of variables the script never sets (after sourcing a secret)
	args    []val     // positional parameters
	dirs    []string  // pushd stack

	allexport bool // set -a

	// own says which of the maps this state may write to. Clones share
	// maps until one of them writes (see wvars, wfiles, wpending).
	own uint8
}

const (
	ownVars uint8 = 1 << iota
	ownFiles
	ownPending
)

func (st *state) wvars() map[string]variable { return owned(st, &st.vars, ownVars) }
func (st *state) wfiles() map[string]taint   { return owned(st, &st.files, ownFiles) }
func (st *state) wpending() map[wkey]write   { return owned(st, &st.pending, ownPending) }

// owned returns *m for writing: the state's own copy, made on first write (bit in st.own says it is).
func owned[K comparable, V any](st *state, m *map[K]V, bit uint8) map[K]V {
	if st.own&bit == 0 {
		c := make(map[K]V, len(*m)+1)
		maps.Copy(c, *m)
		*m, st.own = c, st.own|bit
	}
	return *m
}

type variable struct {
	val
	exported bool
}

// wkey identifies a pending write. store is 1 + the index of the Store it
// records, or 0 for a leak.
type wkey struct {
	path  string
	pos   Pos
	how   string
	store int
}

type write struct {
	t     taint
	cache bool
	dest  string
	text  string
}

func (st *state) clone() *state {
	st.own = 0
	c := *st
	return &c
}

// join merges the states of paths that meet: a variable or file is tainted
// if it is on some path, and a write is pending if it is pending on some
// path.
func (a *analyzer) join(states ...*state) *state {
	var out *state
	for _, s := range states {
		if s == nil || s.dead {
			continue
		}
		if out == nil {
			out = s.clone()
			continue
		}
		for k, v := range s.vars {
			o, ok := out.vars[k]
			if ok && o == v {
				continue
			}
			if ok {
				if o.s != v.s {
					o.s = a.sym("$" + k)
				}
				o.t |= v.t
				o.exported = o.exported || v.exported
				v = o
			}
			out.wvars()[k] = v
		}
		for k, t := range s.files {
			if out.files[k]|t != out.files[k] {
				out.wfiles()[k] |= t
			}
		}
		for k, w := range s.pending {
			o, ok := out.pending[k]
			if ok && o.t|w.t == o.t {
				continue
			}
			if ok {
				w.t |= o.t
			}
			out.wpending()[k] = w
		}
		if out.cwd != s.cwd {
			out.cwd = a.sym("$PWD")
		}
		out.in |= s.in
		if out.trap != s.trap {
			out.trap = nil // an EXIT trap set on only some paths is not relied upon
		}
		out.wild |= s.wild
	}
	if out == nil {
		return &state{dead: true}
	}
	return out
}

// set replaces the content of st with that of s, keeping st's identity for
// callers holding it.
func (st *state) set(s *state) { *st = *s }

// --- writes and removals ------------------------------------------------------

// write records that data with taint t reaches file p. Without appendMode the
// file is truncated first, which undoes earlier pending writes to p.
func (a *analyzer) write(st *state, p string, t taint, appendMode bool, f fact) {
	if p == "" {
		return
	}
	if op, ok := a.outProcs[p]; ok {
		// Data written to >(cmd) is cmd's standard input.
		a.subshell(st, func(sub *state) {
			sub.in = t
			a.stmts(sub, op.u, op.stmts)
		})
		return
	}
	a.event(false, p, f)
	if !appendMode {
		if _, ok := st.files[p]; ok {
			delete(st.wfiles(), p)
		}
		for k := range st.pending {
			if k.path == p {
				delete(st.wpending(), k)
			}
		}
	}
	if t == 0 {
		return
	}
	st.wfiles()[p] |= t
	if a.isEphemeral(p) {
		return
	}
	k := wkey{path: p, pos: f.pos, how: f.how}
	w := st.pending[k]
	st.wpending()[k] = write{t: w.t | t, cache: a.isCache(p), dest: a.display(p), text: f.text.String()}
}

// remove records that target (a path or, with glob, a pattern) is removed,
// with everything below it when recursive.
func (a *analyzer) remove(st *state, target val, recursive bool, f fact) {
	p := target.s
	if p == "" {
		return
	}
	a.removeFunc(st, p, f, func(q string) bool {
		if target.glob {
			for {
				if ok, _ := path.Match(target.pat, q); ok {
					return true
				}
				if !recursive || q == "/" || q == "." {
					return false
				}
				q = path.Dir(q)
			}
		}
		if recursive {
			return under(q, p)
		}
		return q == p
	})
}

// readTaint returns the secrets in the file p (a path, or a pattern when
// glob). With recursive, p may be a directory and its files count too.
func (a *analyzer) readTaint(st *state, v val, recursive bool) taint {
	p := v.s
	if p == "" {
		return 0
	}
	match := func(q string) bool {
		if v.glob {
			ok, _ := path.Match(v.pat, q)
			if !ok && recursive {
				for d := path.Dir(q); d != "/" && d != "."; d = path.Dir(d) {
					if ok, _ = path.Match(v.pat, d); ok {
						break
					}
				}
			}
			return ok
		}
		if recursive {
			return under(q, p)
		}
		return q == p
	}
	var t taint
	for _, sf := range a.secretFiles {
		if match(sf.path) {
			t |= sf.t
		}
	}
	for q, ft := range st.files {
		if match(q) {
			t |= ft
		}
	}
	return t
}

// envTaint is the taint of the environment a program sees; with all, of
// every shell variable (set, declare -p).
func (a *analyzer) envTaint(st *state, c *call, all bool) taint {
	var t taint
	for _, v := range c.env {
		t |= v.t
	}
	if c.clearEnv {
		return t
	}
	t |= st.wild
	for _, v := range st.vars {
		if all || v.exported {
			t |= v.t
		}
	}
	return t
}

// removeFunc removes the paths match accepts; display is the path the
// Removed event shows.
func (a *analyzer) removeFunc(st *state, display string, f fact, match func(string) bool) {
	a.event(true, display, f)
	for k := range st.files {
		if match(k) {
			delete(st.wfiles(), k)
		}
	}
	for k := range st.pending {
		if match(k.path) {
			delete(st.wpending(), k)
		}
	}
}
