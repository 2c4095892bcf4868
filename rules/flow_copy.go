package rules

import (
	"path"
	"strings"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
)

// carry is a COPY --from source that copies files holding a credential from another stage.
type carry struct {
	copy  *model.Copy
	src   *model.Source
	to    *stageFlow
	from  *model.Stage
	files []carried
}

// carried is one file a COPY --from copies: where it was in the source stage, where it lands.
type carried struct {
	srcPath, dest string
	origin        *origin // the file in the source stage
	copied        *origin // the copy in the destination stage
}

// copyInto follows a COPY or ADD: credential files it brings in from the build context, an image or
// another stage are added to the files the stage holds.
func (fl *flow) copyInto(p *Pass, sf *stageFlow, c *model.Copy) {
	dest := absIn(c.Dest, sf.workdir)
	destDir := strings.HasSuffix(c.Dest, "/") || c.Dest == "." || strings.HasSuffix(c.Dest, "/.") || len(c.Sources) > 1
	for _, src := range c.Sources {
		switch {
		case c.FromStage != nil:
			fl.copyFromStage(p, sf, c, src, dest, destDir)
		case c.From != "" || src.IsRemote():
			// An image, a named context or a URL: judged by the name alone.
			sp := src.Path
			if src.IsRemote() {
				sp = remotePath(sp)
			}
			k := p.Config.classifyFile(sp)
			if k == nil || hasGlob(sp) || k.Unknown() != credential.Credential {
				continue
			}
			d := destFor(dest, destDir || hasGlob(src.Path), path.Base(sp))
			sf.hold(d, fl.add(&origin{
				kind: originImage, stage: sf.stage, inst: c.Inst, rng: src.Range,
				path: d, what: k.Desc + " (" + path.Base(sp) + ")", how: c.Inst.Keyword,
			}))
		case !sf.used:
			// TL120 reports credential files from the build context; they matter here only when
			// another stage takes them on.
		default:
			for _, l := range contextCredentials(p, c, src) {
				rel := contextRel(src.Path, l.path)
				d := dest
				switch {
				case rel != "":
					d = path.Join(dest, rel)
				case destDir || hasGlob(src.Path):
					d = path.Join(dest, path.Base(l.path))
				}
				sf.hold(d, fl.add(&origin{
					kind: originContext, stage: sf.stage, inst: c.Inst, rng: src.Range,
					path: d, what: l.kind.Desc + " (" + l.path + ")", how: c.Inst.Keyword,
					maybe: l.verdict != credential.Credential,
				}))
			}
		}
	}
}

// copyFromStage follows the files holding a credential that COPY --from=<stage> copies.
func (fl *flow) copyFromStage(p *Pass, sf *stageFlow, c *model.Copy, src *model.Source, dest string, destDir bool) {
	from := fl.analyseStage(p, c.FromStage)
	if len(from.held) == 0 || c.FromStage == sf.stage {
		return
	}
	root := path.Clean("/" + src.Path)
	glob := hasGlob(root)
	cr := &carry{copy: c, src: src, to: sf, from: c.FromStage}
	for _, k := range sortedKeys(from.held) {
		o := from.held[k]
		if o.cache {
			continue
		}
		var d string
		switch rel, ok := under(k, root); {
		case ok && rel == "":
			d = destFor(dest, destDir || glob, path.Base(k))
		case ok:
			d = path.Join(dest, rel)
		case o.kind == originStore && !glob && strings.HasPrefix(root, k+"/"):
			// A file inside a directory a credential store writes (gcloud's configuration).
			d = destFor(dest, destDir, path.Base(root))
		case glob:
			m := globMatch(root, k)
			if m == "" {
				continue
			}
			if m == k {
				d = destFor(dest, true, path.Base(k))
			} else {
				rel, _ := under(k, m)
				d = path.Join(dest, rel)
			}
		default:
			continue
		}
		if excluded(c.Exclude, strings.TrimPrefix(k, "/")) {
			continue
		}
		cp := fl.add(&origin{
			kind: originStage, stage: sf.stage, inst: c.Inst, rng: src.Range,
			path: d, what: o.what, how: "COPY --from=" + c.From, from: o, maybe: o.maybe,
		})
		sf.hold(d, cp)
		cr.files = append(cr.files, carried{srcPath: k, dest: d, origin: o, copied: cp})
	}
	if len(cr.files) > 0 {
		fl.carries = append(fl.carries, cr)
	}
}

// globMatch returns the ancestor-or-self of p that the glob pattern matches, or "".
func globMatch(pattern, p string) string {
	for a := p; a != "/" && a != "." && a != ""; a = path.Dir(a) {
		if ok, _ := path.Match(pattern, a); ok {
			return a
		}
	}
	return ""
}

// destFor returns where a file named base lands for a COPY destination.
func destFor(dest string, isDir bool, base string) string {
	if isDir {
		return path.Join(dest, base)
	}
	return dest
}

// contextRel returns file f (relative to the context) relative to the COPY source directory src, or
// "" when src names f itself or is a glob.
func contextRel(src, f string) string {
	s := cleanContextPath(src)
	if hasGlob(s) {
		return ""
	}
	if s == "." {
		return f
	}
	if rest, ok := strings.CutPrefix(f, s+"/"); ok {
		return rest
	}
	return ""
}

// remotePath returns the path of a URL without query and fragment.
func remotePath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		return u[i:]
	}
	return "/"
}

// contextCredentials returns the credential files a COPY source copies from the build context, the way
// TL120 judges them: read from the context when it is available, by name otherwise.
func contextCredentials(p *Pass, c *model.Copy, src *model.Source) []leak {
	var out []leak
	if p.Context != nil {
		if files, err := p.credentialFiles(); err == nil {
			for _, f := range files {
				if !sourceMatches(src.Path, f.path) || excluded(c.Exclude, f.path) {
					continue
				}
				if v := p.fileVerdict(f.path, f.kind); v != credential.NotCredential {
					out = append(out, leak{f.path, f.kind, v})
				}
			}
			return out
		}
	}
	f := cleanContextPath(src.Path)
	if hasGlob(path.Base(f)) {
		if k := globKind(path.Base(f)); k != nil {
			out = append(out, leak{f, k, credential.MaybeCredential})
		}
	} else if k := p.Config.classifyFile(f); k != nil {
		if v := k.Verdict(nil, false); v != credential.NotCredential {
			out = append(out, leak{f, k, v})
		}
	}
	return out
}
