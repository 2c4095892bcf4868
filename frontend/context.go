package frontend

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"sync"

	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"

	"github.com/tightlip/tightlip/rules"
)

// maxContextFiles bounds the walk of a build context; a larger context is reported as an error by the
// rules that need it rather than read without end.
const maxContextFiles = 200_000

// contextView is the build's main context (after .dockerignore) as the rules see it. It is solved on
// first use only: most Dockerfiles never need it, and those that do (COPY . or a glob) transfer the
// context for the build anyway, under the same shared key.
type contextView struct {
	ctx context.Context
	c   client.Client
	bc  *dockerui.Client

	once sync.Once
	ref  client.Reference
	err  error
}

var _ rules.Context = (*contextView)(nil)

func newContextView(ctx context.Context, c client.Client, bc *dockerui.Client) *contextView {
	return &contextView{ctx: ctx, c: c, bc: bc}
}

func (v *contextView) load() (client.Reference, error) {
	v.once.Do(func() {
		st, err := v.bc.MainContext(v.ctx)
		if err != nil {
			v.err = err
			return
		}
		def, err := st.Marshal(v.ctx)
		if err != nil {
			v.err = err
			return
		}
		res, err := v.c.Solve(v.ctx, client.SolveRequest{Definition: def.ToPB()})
		if err != nil {
			v.err = fmt.Errorf("reading the build context: %w", err)
			return
		}
		v.ref, v.err = res.SingleRef()
	})
	return v.ref, v.err
}

func (v *contextView) Walk(fn func(path string) error) error {
	ref, err := v.load()
	if err != nil {
		return err
	}
	if ref == nil { // an empty context
		return nil
	}
	count := 0
	var walk func(dir string) error
	walk = func(dir string) error {
		entries, err := ref.ReadDir(v.ctx, client.ReadDirRequest{Path: dir})
		if err != nil {
			return fmt.Errorf("reading the build context: %w", err)
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
		for _, e := range entries {
			p := path.Join(dir, path.Base(e.Path))
			mode := os.FileMode(e.Mode)
			switch {
			case mode.IsDir():
				if err := walk(p); err != nil {
					return err
				}
			case mode.IsRegular():
				if count++; count > maxContextFiles {
					return fmt.Errorf("the build context has more than %d files", maxContextFiles)
				}
				if err := fn(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk("")
}

func (v *contextView) ReadFile(p string) ([]byte, error) {
	ref, err := v.load()
	if err != nil {
		return nil, err
	}
	if ref == nil {
		return nil, fmt.Errorf("%s: %w", p, os.ErrNotExist)
	}
	return ref.ReadFile(v.ctx, client.ReadRequest{Filename: p})
}
