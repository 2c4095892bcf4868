package frontend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/policy"
)

// loadPolicy merges the embedded default, the organisation policy in the frontend's own filesystem and
// the repository policy next to the Dockerfile. Any of them that is present and wrong fails the build.
func (f *Frontend) loadPolicy(ctx context.Context, c client.Client, src *dockerui.Source) (*policy.Policy, error) {
	layers := []*policy.Layer{policy.DefaultLayer()}
	orgPath := f.opts.OrgPolicy
	if orgPath == "" {
		orgPath = policy.OrgPath
	}
	files := map[string][]byte{}
	data, err := os.ReadFile(orgPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading the organisation policy: %w", err)
	default:
		files[orgPath] = data
		l, err := policy.Parse(policy.Organisation, orgPath, data)
		if err != nil {
			return nil, policyError("organisation", err, files)
		}
		layers = append(layers, l)
	}

	repoPath := path.Join(path.Dir(src.SourceMap.Filename), policy.RepoFile)
	data, err = readRepoPolicy(ctx, c, src, repoPath)
	if err != nil {
		return nil, fmt.Errorf("reading the repository policy %s: %w", repoPath, err)
	}
	if data != nil {
		files[repoPath] = data
		l, err := policy.Parse(policy.Repository, repoPath, data)
		if err != nil {
			return nil, policyError("repository", err, files)
		}
		layers = append(layers, l)
	}
	p, err := policy.Merge(layers...)
	if err != nil {
		return nil, policyError("merged", err, files)
	}
	return p, nil
}

// policyError fails the build for a policy that is wrong, showing the policy file's lines (files
// holds the text of the policy files read, by path).
func policyError(which string, err error, files map[string][]byte) error {
	err = fmt.Errorf("tightlip: the %s build policy is invalid, so the build cannot be checked:\n%w", which, err)
	var perrs policy.Errors
	if !errors.As(err, &perrs) || len(perrs) == 0 || files[perrs[0].Path] == nil {
		return err
	}
	file := perrs[0].Path
	var ranges []parser.Range
	for _, e := range perrs {
		if e.Path == file && e.Line > 0 {
			ranges = append(ranges, parser.Range{Start: parser.Position{Line: e.Line}, End: parser.Position{Line: e.Line}})
		}
	}
	return errdefs.WithSource(err, &errdefs.Source{Info: &pb.SourceInfo{Filename: file, Data: files[file], Language: "YAML"}, Ranges: pbRanges(ranges)})
}

// readRepoPolicy reads the repository policy at p in the Dockerfile's source; nil when there is none.
// A local Dockerfile source transfers only the Dockerfile (upstream's builder must see the very same
// source, which is how the rewritten text is served), so the policy comes in a transfer of its own
// from the same local directory; any other source (a Git repository, a frontend input) is read as is.
func readRepoPolicy(ctx context.Context, c client.Client, src *dockerui.Source, p string) ([]byte, error) {
	def := src.SourceMap.Definition
	if local, ok := localSource(def); ok {
		opts := c.BuildOpts()
		sid := opts.SessionID
		if v, ok := opts.Opts["local-sessionid:"+local]; ok {
			sid = v
		}
		st := llb.Local(local, llb.FollowPaths([]string{p}), llb.SessionID(sid), llb.SharedKeyHint(local),
			llb.Differ(llb.DiffNone, false), dockerui.WithInternalName("load build policy "+p))
		var err error
		if def, err = st.Marshal(ctx); err != nil {
			return nil, err
		}
	}
	res, err := c.Solve(ctx, client.SolveRequest{Definition: def.ToPB()})
	if err != nil {
		return nil, err
	}
	ref, err := res.SingleRef()
	if err != nil || ref == nil {
		return nil, err
	}
	if _, err := ref.StatFile(ctx, client.StatRequest{Path: p}); err != nil {
		if notFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return ref.ReadFile(ctx, client.ReadRequest{Filename: p})
}

// localSource returns the name of the local directory a definition reads, when it is one local
// source and nothing else.
func localSource(def *llb.Definition) (string, bool) {
	var name string
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			return "", false
		}
		switch {
		case op.GetSource() != nil:
			id, ok := strings.CutPrefix(op.GetSource().Identifier, "local://")
			if !ok || name != "" {
				return "", false
			}
			name = id
		case op.Op != nil:
			return "", false // an operation on top of a source
		}
	}
	return name, name != ""
}

func notFound(err error) bool {
	if errors.Is(err, fs.ErrNotExist) || status.Code(err) == codes.NotFound {
		return true
	}
	return strings.Contains(err.Error(), "no such file or directory") || strings.Contains(err.Error(), "not found")
}

// syntaxNote says why a `# syntax=` line or BUILDKIT_SYNTAX that names another frontend does not
// change the frontend, when the policy keeps builds in tightlip; "" when there is nothing to say.
func syntaxNote(opts map[string]string, data []byte) (string, []parser.Range) {
	self := imageName(opts["source"])
	var what, ref string
	var ranges []parser.Range
	if v := opts["build-arg:BUILDKIT_SYNTAX"]; v != "" {
		what, ref = "the build argument BUILDKIT_SYNTAX="+v, v
	} else if v, _, rs, ok := parser.ParseDirective("syntax", data); ok && v != "" {
		what, ref, ranges = "`# syntax="+v+"`", v, rs
	}
	if ref == "" || self != "" && imageName(ref) == self {
		return "", nil
	}
	return what + " does not hand this build to another frontend: the build policy keeps builds in tightlip (directives.syntax)", ranges
}

// imageName returns the repository of an image reference, "" when it does not parse.
func imageName(ref string) string {
	named, err := reference.ParseNormalizedNamed(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	return named.Name()
}

// noteWarn sends a policy note as a build warning.
func noteWarn(ctx context.Context, src *dockerui.Source, shown []byte, n policy.Note) {
	opts := client.WarnOpts{Level: 1, URL: policyDocURL}
	if n.Range.Start.Line > 0 {
		opts.Range = pbRanges([]parser.Range{n.Range})
		opts.SourceInfo = sourceInfo(src, shown)
	}
	src.Warn(ctx, "tightlip policy: "+n.Message, opts)
}

// suppressedWarn reports a finding an exception let through.
func suppressedWarn(ctx context.Context, src *dockerui.Source, shown []byte, s policy.Suppressed) {
	src.Warn(ctx, fmt.Sprintf("tightlip policy: %s:%d: %s", src.SourceMap.Filename, s.Finding.Range.Start.Line, s.Message()), client.WarnOpts{
		Level:      1,
		URL:        analysis.DocURL(s.Finding.Rule),
		Range:      pbRanges([]parser.Range{s.Finding.Range}),
		SourceInfo: sourceInfo(src, shown),
	})
}

const policyDocURL = "https://github.com/tightlip/tightlip/blob/main/docs/policy.md"

func firstRange(rs []parser.Range) parser.Range {
	if len(rs) == 0 {
		return parser.Range{}
	}
	return rs[0]
}
