package frontend

import (
	"context"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"

	"github.com/tightlip/tightlip/analysis"
)

func TestFrontendOptsPinAndLabel(t *testing.T) {
	f := New(Options{Version: "v1.2.3"})
	in := map[string]string{"build-arg:BUILDKIT_SYNTAX": "other/frontend"}
	got := f.frontendOpts(in, true)
	if got["cmdline"] == "" {
		t.Errorf("cmdline not set: the build could be forwarded to another frontend")
	}
	if got["label:"+LabelVersion] != "v1.2.3" {
		t.Errorf("version label = %q", got["label:"+LabelVersion])
	}
	if _, ok := in["cmdline"]; ok {
		t.Errorf("the caller's options were modified")
	}
	// Loaded through `# syntax=`, the daemon already set cmdline; it is kept.
	if got := f.frontendOpts(map[string]string{"cmdline": "registry/tightlip:1"}, true); got["cmdline"] != "registry/tightlip:1" {
		t.Errorf("cmdline = %q", got["cmdline"])
	}
}

func TestWithPrefix(t *testing.T) {
	opts := map[string]string{"build-arg:A": "1", "build-arg:B": "", "label:x": "y", "target": "t",
		"context:alpine": "docker-image://alpine:3.20", "context:src::linux/amd64": "local:src"}
	if got := withPrefix(opts, "build-arg:"); len(got) != 2 || got["A"] != "1" || got["B"] != "" {
		t.Errorf("build arguments = %v", got)
	}
	if got := withPrefix(opts, "context:"); len(got) != 2 || got["alpine"] != "docker-image://alpine:3.20" || got["src::linux/amd64"] != "local:src" {
		t.Errorf("named contexts = %v", got)
	}
}

type fakeRef struct {
	client.Reference
	files map[string][]byte
}

func (r fakeRef) ReadFile(_ context.Context, req client.ReadRequest) ([]byte, error) {
	return r.files[req.Filename], nil
}

func (r fakeRef) StatFile(_ context.Context, req client.StatRequest) (*fstypes.Stat, error) {
	return &fstypes.Stat{Path: req.Path, Size: int64(len(r.files[req.Path]))}, nil
}

func TestServedRef(t *testing.T) {
	ref := &servedRef{
		Reference: fakeRef{files: map[string][]byte{"Dockerfile": []byte("FROM original\n"), "Dockerfile.dockerignore": []byte("*.log\n")}},
		filename:  "Dockerfile",
		data:      []byte("FROM rewritten\n"),
	}
	ctx := context.Background()
	for _, tc := range []struct {
		req  client.ReadRequest
		want string
	}{
		{client.ReadRequest{Filename: "Dockerfile"}, "FROM rewritten\n"},
		{client.ReadRequest{Filename: "Dockerfile", Range: &client.FileRange{Length: 4}}, "FROM"},
		{client.ReadRequest{Filename: "Dockerfile", Range: &client.FileRange{Offset: 5, Length: 100}}, "rewritten\n"},
		{client.ReadRequest{Filename: "Dockerfile", Range: &client.FileRange{Offset: 100}}, ""},
		{client.ReadRequest{Filename: "Dockerfile.dockerignore"}, "*.log\n"},
	} {
		got, err := ref.ReadFile(ctx, tc.req)
		if err != nil || string(got) != tc.want {
			t.Errorf("ReadFile(%+v) = %q, %v; want %q", tc.req, got, err, tc.want)
		}
	}
	st, err := ref.StatFile(ctx, client.StatRequest{Path: "Dockerfile"})
	if err != nil || st.Size != int64(len("FROM rewritten\n")) {
		t.Errorf("StatFile = %v, %v", st, err)
	}
}

func TestAnalyzeKeepsLines(t *testing.T) {
	f := New(Options{Analyze: func(_ context.Context, in *Input) (*analysis.Result, error) {
		return &analysis.Result{Dockerfile: append([]byte("# moved\n"), in.Dockerfile...)}, nil
	}})
	if _, err := f.analyze(context.Background(), &Input{Filename: "Dockerfile", Dockerfile: []byte("FROM a\nRUN b\n")}); err == nil {
		t.Fatal("a rewrite that adds a line must be refused")
	}
}

func TestLocalSource(t *testing.T) {
	for _, tc := range []struct {
		name  string
		st    llb.State
		local string
	}{
		{"local", llb.Local("dockerfile", llb.FollowPaths([]string{"Dockerfile"})), "dockerfile"},
		{"image", llb.Image("alpine"), ""},
		{"git", llb.Git("https://example.com/r.git", "main"), ""},
		{"local with an operation", llb.Local("dockerfile").File(llb.Mkdir("/x", 0o755)), ""},
	} {
		def, err := tc.st.Marshal(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := localSource(def); got != tc.local || ok != (tc.local != "") {
			t.Errorf("%s: localSource = %q, %t", tc.name, got, ok)
		}
	}
}
