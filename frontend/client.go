package frontend

import (
	"context"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
	digest "github.com/opencontainers/go-digest"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// pinnedClient reports tightlip's frontend options instead of the ones the build was started with.
type pinnedClient struct {
	client.Client
	opts map[string]string
}

func (c *pinnedClient) BuildOpts() client.BuildOpts {
	bo := c.Client.BuildOpts()
	bo.Opts = c.opts
	return bo
}

// servingClient serves rewritten Dockerfile text to upstream's builder. The builder reads the Dockerfile
// by solving its source and reading the file from the result; when a solve's head is that source, reads
// of the Dockerfile return the rewritten text. Every other call goes to the wrapped client unchanged.
type servingClient struct {
	client.Client
	source     digest.Digest // head of the dockerfile source definition
	filename   string
	dockerfile []byte
}

func (c *servingClient) Solve(ctx context.Context, req client.SolveRequest) (*client.Result, error) {
	res, err := c.Client.Solve(ctx, req)
	if err != nil || req.Definition == nil || req.Frontend != "" {
		return res, err
	}
	var def llb.Definition
	def.FromPB(req.Definition)
	if head, err := def.Head(); err != nil || head != c.source {
		return res, nil
	}
	ref, err := res.SingleRef()
	if err != nil || ref == nil {
		return res, nil
	}
	res.SetRef(&servedRef{Reference: ref, filename: c.filename, data: c.dockerfile})
	return res, nil
}

// servedRef is the dockerfile source with the Dockerfile's text replaced.
type servedRef struct {
	client.Reference
	filename string
	data     []byte
}

func (r *servedRef) ReadFile(ctx context.Context, req client.ReadRequest) ([]byte, error) {
	if req.Filename != r.filename {
		return r.Reference.ReadFile(ctx, req)
	}
	data := r.data
	if req.Range != nil {
		start := min(int(req.Range.Offset), len(data))
		end := len(data)
		if req.Range.Length > 0 {
			end = min(start+int(req.Range.Length), len(data))
		}
		data = data[start:end]
	}
	return data, nil
}

func (r *servedRef) StatFile(ctx context.Context, req client.StatRequest) (*fstypes.Stat, error) {
	st, err := r.Reference.StatFile(ctx, req)
	if err != nil || req.Path != r.filename {
		return st, err
	}
	served := st.CloneVT()
	served.Size = int64(len(r.data))
	return served, nil
}
