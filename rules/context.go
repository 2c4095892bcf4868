package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/tightlip/tightlip/credential"
)

// Context is a read-only view of the build context as BuildKit sends it: the files left after
// .dockerignore. Paths are slash-separated and relative to the context root ("config/.npmrc").
type Context interface {
	// Walk calls fn for every regular file in the context, in lexical order. An error from fn stops
	// the walk and is returned.
	Walk(fn func(path string) error) error
	// ReadFile returns a file's content.
	ReadFile(path string) ([]byte, error)
}

// NewFSContext returns the build context rooted at fsys, with the patterns of ignoreFile (a path in
// fsys; ".dockerignore" when empty, none when the file does not exist) applied as BuildKit applies
// them. Use os.DirFS for a directory and fstest.MapFS in tests.
func NewFSContext(fsys fs.FS, ignoreFile string) (Context, error) {
	if ignoreFile == "" {
		ignoreFile = ".dockerignore"
	}
	c := &fsContext{fsys: fsys}
	data, err := fs.ReadFile(fsys, ignoreFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", ignoreFile, err)
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ignoreFile, err)
	}
	if len(patterns) > 0 {
		c.pm, err = patternmatcher.New(patterns)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ignoreFile, err)
		}
	}
	return c, nil
}

// DirContext returns the build context in directory dir, honouring its .dockerignore.
func DirContext(dir string) (Context, error) {
	return NewFSContext(os.DirFS(dir), "")
}

type fsContext struct {
	fsys fs.FS
	pm   *patternmatcher.PatternMatcher // nil: nothing ignored
}

func (c *fsContext) ignored(p string) bool {
	if c.pm == nil {
		return false
	}
	ok, err := c.pm.MatchesOrParentMatches(p)
	return err == nil && ok
}

func (c *fsContext) Walk(fn func(string) error) error {
	return fs.WalkDir(c.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if d.IsDir() {
			if c.pm != nil && !c.pm.Exclusions() && c.ignored(p) {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || c.ignored(p) {
			return nil
		}
		return fn(p)
	})
}

func (c *fsContext) ReadFile(p string) ([]byte, error) {
	p = cleanContextPath(p)
	if c.ignored(p) {
		return nil, &fs.PathError{Op: "read", Path: p, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(c.fsys, p)
}

// cleanContextPath makes a COPY source or context path relative to the context root: "./a/../b/" and
// "/b" both give "b"; the root is ".".
func cleanContextPath(p string) string {
	if isCleanRel(p) {
		return p
	}
	p = path.Clean("/" + strings.ReplaceAll(p, "\\", "/"))
	if p == "/" {
		return "."
	}
	return p[1:]
}

// isCleanRel reports whether p is a relative path that cleanContextPath leaves as it is: elements
// separated by single slashes, none of them "." or "..", and no backslash.
func isCleanRel(p string) bool {
	if strings.IndexByte(p, '\\') >= 0 {
		return false
	}
	for {
		e, rest, more := strings.Cut(p, "/")
		if e == "" || e == "." || e == ".." {
			return false
		}
		if !more {
			return true
		}
		p = rest
	}
}

// contextFile is a file of the build context that may hold a credential.
type contextFile struct {
	path string
	kind *credential.FileKind
}

// credentialFiles returns the build context's files whose names are those of credential files,
// walking the context once per Run.
func (p *Pass) credentialFiles() ([]contextFile, error) {
	sh := p.shared
	if !sh.walked && p.Context != nil {
		sh.walked = true
		sh.contextErr = p.Context.Walk(func(f string) error {
			if k := p.Config.classifyFile(f); k != nil {
				sh.contextFiles = append(sh.contextFiles, contextFile{path: f, kind: k})
			}
			return nil
		})
	}
	return sh.contextFiles, sh.contextErr
}

// fileVerdict judges a context file of kind k, reading it when the kind's verdict depends on content.
func (p *Pass) fileVerdict(f string, k *credential.FileKind) credential.Verdict {
	if p.Context == nil {
		return k.Verdict(nil, false)
	}
	data, err := p.Context.ReadFile(f)
	if err != nil {
		return k.Verdict(nil, false)
	}
	return k.Verdict(data, true)
}

// sourceMatches reports whether a COPY/ADD source (a path, directory or glob, relative to the context)
// selects the context file f, with BuildKit's pattern semantics.
func sourceMatches(src, f string) bool {
	src = cleanContextPath(src)
	if src == "." {
		return true
	}
	ok, err := patternmatcher.MatchesOrParentMatches(f, []string{src})
	return err == nil && ok
}

// excluded reports whether f is excluded by COPY --exclude patterns.
func excluded(patterns []string, f string) bool {
	if len(patterns) == 0 {
		return false
	}
	ok, err := patternmatcher.MatchesOrParentMatches(f, patterns)
	return err == nil && ok
}
