package rules

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/shellflow"
)

// analyseRun runs shellflow on one RUN and updates the files the stage holds: files the RUN removes
// are gone (and, when an earlier instruction of the stage created them, marked as removed late), files
// it writes secrets to, stores credentials in or creates under a credential file's name are added.
func (fl *flow) analyseRun(p *Pass, sf *stageFlow, r *model.Run) {
	rf := &runFlow{run: r}
	fl.runs[r.Inst.Index] = rf
	if r.MountsErr != nil {
		rf.skip = "its --mount options do not parse"
		return
	}
	rf.spec, rf.secrets, rf.hasSecrets = fl.buildSpec(p, sf, r)
	switch {
	case !r.Exec && r.Script == nil:
		rf.skip = "its command could not be located"
		return
	case !r.Exec && r.Script.Shebang == "" && !isPosixShell(r.Shell):
		rf.skip = "SHELL " + path.Base(r.Shell[0]) + " is not a POSIX shell"
		return
	}
	if !p.Config.analyseAll() && !worthAnalysing(&rf.spec, r.Scope, len(sf.held) > 0) {
		rf.skip = "nothing to analyse"
		return
	}
	rf.spec.Env = envOf(r, rf.secrets)
	res, err := fl.shell.Analyze(rf.spec)
	if err != nil {
		rf.err = err
		return
	}
	rf.res = res
	fl.removals(sf, rf)
	// Stores first: a store fed with a secret is also a leak at the same position, and it is the store's.
	storeAt := make(map[shellflow.Pos]bool)
	for _, s := range res.Stores {
		if s.Neutralised {
			continue
		}
		storeAt[s.Pos] = true
		o := fl.add(&origin{
			kind: originStore, stage: sf.stage, inst: r.Inst, rng: rf.rangeOf(s.Pos),
			path: s.Path, what: storeWhat(s.Path), how: s.Tool, tool: s.Tool, cache: s.Cache,
		})
		rf.stores = append(rf.stores, o)
		if !s.Cache {
			sf.hold(s.Path, o)
		}
	}
	type key struct {
		pos  shellflow.Pos
		dest string
	}
	byKey := make(map[key]*origin)
	for _, l := range res.Leaks {
		if storeAt[l.Pos] {
			continue
		}
		k := key{l.Pos, l.Dest}
		desc := rf.secretDesc(l.Secret)
		if o := byKey[k]; o != nil {
			if !strings.Contains(o.what, desc) {
				o.what += ", " + desc
			}
			continue
		}
		o := fl.add(&origin{
			kind: originWrite, stage: sf.stage, inst: r.Inst, rng: rf.rangeOf(l.Pos),
			path: l.Dest, what: desc, how: l.How, cache: l.Cache,
		})
		byKey[k] = o
		rf.writes = append(rf.writes, o)
		if !l.Cache {
			sf.hold(l.Dest, o)
		}
	}
	// Files created under the name of a credential file (id_rsa, .git-credentials) that the RUN does
	// not remove again: a later RUN removing them is TL202's, a COPY --from carrying them TL301's.
	for _, ev := range res.Created {
		if ev.Ephemeral || ev.Cache || ev.How == "mkdir" {
			continue
		}
		if o := sf.held[ev.Path]; o != nil && o.inst == r.Inst || !mentionsCredentialFile(ev.Path) {
			continue
		}
		k := p.Config.classifyFile(ev.Path)
		if k == nil || k.Unknown() != credential.Credential || removedIn(res, ev.Path) {
			continue
		}
		sf.hold(ev.Path, fl.add(&origin{
			kind: originCreated, stage: sf.stage, inst: r.Inst, rng: rf.rangeOf(ev.Pos),
			path: ev.Path, what: k.Desc, how: ev.How, maybe: true,
		}))
	}
}

// removals applies the files a RUN removes or moves to the files the stage holds.
func (fl *flow) removals(sf *stageFlow, rf *runFlow) {
	if len(sf.held) == 0 {
		return
	}
	res := rf.res
	for _, ev := range res.Removed {
		if strings.HasPrefix(ev.How, "find") {
			continue // find … -delete removes what its tests select, not the whole tree
		}
		var moved string
		if ev.How == "mv" {
			for _, c := range res.Created {
				if c.How == "mv" && c.Pos == ev.Pos {
					moved = c.Path
				}
			}
		}
		for _, k := range sortedKeys(sf.held) {
			rel, ok := removes(ev.Path, k)
			if !ok {
				continue
			}
			o := sf.held[k]
			delete(sf.held, k)
			if moved != "" {
				if rel == "" && ev.Path == k {
					sf.hold(moved, o)
				} else {
					sf.hold(path.Join(moved, rel), o)
				}
				continue
			}
			if o.stage == sf.stage && o.inst != rf.run.Inst && o.removedBy == nil {
				o.removedBy = rf.run.Inst
			}
		}
	}
}

// removes reports whether removing r (a path, a directory or a glob) removes the file p, and returns p
// relative to the removed directory.
func removes(r, p string) (string, bool) {
	if rel, ok := under(p, r); ok {
		return rel, true
	}
	if !hasGlob(r) {
		return "", false
	}
	for a := p; a != "/" && a != "." && a != ""; a = path.Dir(a) {
		if ok, _ := path.Match(r, a); ok {
			rel, _ := under(p, a)
			return rel, true
		}
	}
	return "", false
}

// removedIn reports whether the RUN removes p anywhere (a conservative test for files it creates).
func removedIn(res *shellflow.Result, p string) bool {
	for _, ev := range res.Removed {
		if _, ok := removes(ev.Path, p); ok {
			return true
		}
	}
	return false
}

// secretDesc describes a secret shellflow names by path or variable.
func (rf *runFlow) secretDesc(name string) string {
	if d, ok := rf.secrets[name]; ok {
		return d
	}
	for k, d := range rf.secrets {
		if strings.HasPrefix(name, k+"/") {
			return d + " (" + name + ")"
		}
	}
	return name
}

// storeWhat says what a credential store keeps in a file.
func storeWhat(p string) string {
	if k := credential.ClassifyFile(p); k != nil {
		return k.Desc
	}
	return "a credential"
}

// rangeOf maps a shellflow position to the Dockerfile: from the position to the end of the command on
// that line.
func (rf *runFlow) rangeOf(pos shellflow.Pos) parser.Range {
	r := rf.run
	var t model.Text
	switch {
	case pos.Arg == 0 && r.Script != nil:
		t = r.Script.Text
	case pos.Arg > 0 && pos.Arg <= len(r.Args):
		arg := r.Args[pos.Arg-1]
		if r.Script != nil && r.Script.String() == arg {
			t = r.Script.Text
			break
		}
		args := r.Inst.ArgsText()
		i := strings.Index(args.String(), arg)
		if i < 0 || arg == "" {
			return r.Inst.Range
		}
		t = args.Slice(i, i+len(arg))
	default:
		return r.Inst.Range
	}
	s := t.String()
	off := lineOffset(s, pos.Line, pos.Col)
	return t.Range(off, commandEnd(t, off))
}

// lineOffset returns the offset of 1-based line and column in s.
func lineOffset(s string, line, col int) int {
	off := 0
	for n := 1; n < line; n++ {
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			return len(s)
		}
		off += i + 1
	}
	return min(off+max(col-1, 0), len(s))
}

// commandEnd returns where the command at off ends for a finding's range: at the end of its Dockerfile
// line, or before &&, ||, ; or | on it, trailing blanks and line continuations left out.
func commandEnd(t model.Text, off int) int {
	s := t.String()
	line := t.Position(off).Line
	end := off
	for end < len(s) && s[end] != '\n' && t.Position(end).Line == line {
		if end > off && (s[end] == ';' || s[end] == '|' || strings.HasPrefix(s[end:], "&&")) {
			break
		}
		end++
	}
	for end > off && strings.ContainsRune(" \t\\\r", rune(s[end-1])) {
		end--
	}
	if end == off && off < len(s) {
		end = off + 1
	}
	return end
}
