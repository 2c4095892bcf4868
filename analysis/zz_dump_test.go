package analysis_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/model"
)

func dumpText(b *bytes.Buffer, name string, t model.Text) {
	fmt.Fprintf(b, "  %s %q\n   pos:", name, t.String())
	for off := 0; off <= t.Len(); off++ {
		p := t.Position(off)
		fmt.Fprintf(b, " %d:%d", p.Line, p.Character)
	}
	b.WriteString("\n")
	for _, l := range t.Lines() {
		fmt.Fprintf(b, "   line %q %d %v\n", l.Text, l.Off, l.Pos)
	}
}

func dumpVar(b *bytes.Buffer, v *model.Var) {
	fmt.Fprintf(b, "  var %v %q has=%v raw=%q val=%q lit=%q refs=%q range=%v inst=%d", v.Kind, v.Name, v.HasValue, v.Raw, v.Value, v.Literal, v.Refs, v.Range, v.Inst.Index)
	for _, r := range v.RefVars {
		if r == nil {
			b.WriteString(" nil")
		} else {
			fmt.Fprintf(b, " %s@%d", r.Name, r.Inst.Index)
		}
	}
	if v.Global != nil {
		fmt.Fprintf(b, " global@%d", v.Global.Inst.Index)
	}
	b.WriteString("\n")
}

func dumpFile(b *bytes.Buffer, f *model.File) {
	fmt.Fprintf(b, "file esc=%q lines=%d\n", f.EscapeToken, f.NumLines())
	for _, w := range f.Warnings {
		fmt.Fprintf(b, " warning %q %q %q %v\n", w.Short, w.Detail, w.URL, w.Location)
	}
	for _, v := range f.MetaArgs {
		dumpVar(b, v)
	}
	for _, in := range f.Instructions {
		st := -1
		if in.Stage != nil {
			st = in.Stage.Index
		}
		fmt.Fprintf(b, "inst %d %s stage=%d loc=%v range=%v flags=%q comments=%q cmd=%T\n", in.Index, in.Keyword, st, in.Location, in.Range, in.Flags, in.Comments, in.Command)
		dumpText(b, "text", in.Text)
		dumpText(b, "args", in.ArgsText())
		for _, h := range in.Heredocs {
			fmt.Fprintf(b, "  heredoc %q exp=%v chomp=%v fd=%d range=%v term=%v\n", h.Name, h.Expand, h.Chomp, h.FileDescriptor, h.Range, h.Terminator())
			dumpText(b, "content", h.Content)
			dumpText(b, "data", h.Data())
		}
		for _, v := range in.Vars {
			dumpVar(b, v)
		}
		for _, l := range in.Labels {
			fmt.Fprintf(b, "  label %q %q %q %v\n", l.Key, l.Raw, l.Value, l.Range)
		}
		if c := in.Copy; c != nil {
			fs := -1
			if c.FromStage != nil {
				fs = c.FromStage.Index
			}
			fmt.Fprintf(b, "  copy add=%v dest=%q from=%q fromstage=%d chmod=%q chown=%q sum=%q excl=%q link=%v parents=%v\n", c.Add, c.Dest, c.From, fs, c.Chmod, c.Chown, c.Checksum, c.Exclude, c.Link, c.Parents)
			for _, s := range c.Sources {
				fmt.Fprintf(b, "   src %q %q %v remote=%v\n", s.Raw, s.Path, s.Range, s.IsRemote())
			}
		}
		if r := in.Run; r != nil {
			fmt.Fprintf(b, "  run exec=%v args=%q shell=%q wd=%q user=%q mountserr=%v\n", r.Exec, r.Args, r.Shell, r.Workdir, r.User, r.MountsErr)
			for _, m := range r.Mounts {
				mm := *m
				mm.Env, mm.Mode, mm.UID, mm.GID = nil, nil, nil, nil
				fmt.Fprintf(b, "   mount %+v", mm)
				if m.Env != nil {
					fmt.Fprintf(b, " env=%q", *m.Env)
				}
				if m.Mode != nil {
					fmt.Fprintf(b, " mode=%d", *m.Mode)
				}
				if m.UID != nil {
					fmt.Fprintf(b, " uid=%d", *m.UID)
				}
				if m.GID != nil {
					fmt.Fprintf(b, " gid=%d", *m.GID)
				}
				b.WriteString("\n")
			}
			for _, v := range r.Scope {
				fmt.Fprintf(b, "   scope %s@%d\n", v.Name, v.Inst.Index)
			}
			if r.Script != nil {
				fmt.Fprintf(b, "   shebang %q\n", r.Script.Shebang)
				dumpText(b, "script", r.Script.Text)
			}
			if r.Command != nil {
				fmt.Fprintf(b, "   cmd %q prepend=%v files=%d\n", r.Command.CmdLine, r.Command.PrependShell, len(r.Command.Files))
			}
		}
	}
	for _, s := range f.Stages {
		bs := -1
		if s.BaseStage != nil {
			bs = s.BaseStage.Index
		}
		fmt.Fprintf(b, "stage %d %q base=%q exp=%q basestage=%d plat=%q final=%v from=%d n=%d args=%d envs=%d runs=%d copies=%d labels=%d target=%v str=%s\n",
			s.Index, s.Name, s.Base, s.BaseExpanded, bs, s.Platform, s.Final, s.From.Index, len(s.Instructions), len(s.Args), len(s.Envs), len(s.Runs), len(s.Copies), len(s.Labels), s.Targetable(), s.String())
	}
	for _, e := range f.Edges {
		from, to := -1, -1
		if e.From != nil {
			from = e.From.Index
		}
		if e.To != nil {
			to = e.To.Index
		}
		fmt.Fprintf(b, "edge %v %q %d->%d inst=%d mount=%v\n", e.Kind, e.Ref, from, to, e.Inst.Index, e.Mount != nil)
	}
}

func TestZZDump(t *testing.T) {
	out := os.Getenv("ZZDUMP")
	if out == "" {
		t.Skip()
	}
	root := "/tmp/tlwork/orig"
	var files []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.Contains(filepath.Base(p), "Dockerfile") || strings.Contains(p, "/testdata/fuzz/")) && !strings.Contains(p, "/.cache/") {
			files = append(files, p)
		}
		return nil
	})
	extra, _ := filepath.Glob("/tmp/tlwork/extra/*")
	files = append(files, extra...)
	sort.Strings(files)
	var b bytes.Buffer
	for _, p := range files {
		data, _ := os.ReadFile(p)
		variants := map[string][]byte{
			"plain": data,
			"crlf":  bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")),
		}
		keys := []string{"plain", "crlf", "args"}
		for _, k := range keys {
			d := variants[k]
			opts := analysis.Options{Rewrite: true}
			if k == "args" {
				d = data
				opts.BuildArgs = map[string]string{"NPM_TOKEN": "abc", "GITHUB_TOKEN": "${X}", "VERSION": "1.2", "BASE": "alpine", "PASSWORD": "hunter2hunter2", "TARGETARCH": "arm64"}
			}
			fmt.Fprintf(&b, "=== %s %s\n", strings.TrimPrefix(p, root), k)
			res, err := safeAnalyze(d, opts)
			if err != nil {
				fmt.Fprintf(&b, "error: %v\n", err)
				var pe *analysis.ParseError
				if e, ok := err.(*analysis.ParseError); ok {
					pe = e
					fmt.Fprintf(&b, "range: %v\n", pe.Range())
				}
				continue
			}
			for _, fd := range res.Findings {
				fmt.Fprintf(&b, "finding %s %v %v %q subj=%q", fd.Rule.ID, fd.Severity, fd.Range, fd.Message, fd.Subject)
				if fd.Fix != nil {
					fmt.Fprintf(&b, " fix=%q %+v", fd.Fix.Message, fd.Fix.Edits)
				}
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "secrets %q\nrewritten %q\nmasked %q\n", res.Secrets, res.Dockerfile, analysis.Mask(res.File))
			dumpFile(&b, res.File)
		}
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files", len(files))
}

func safeAnalyze(d []byte, opts analysis.Options) (res *analysis.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC %v", r)
		}
	}()
	return analysis.Analyze("Dockerfile", d, opts)
}
