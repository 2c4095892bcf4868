//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/tonistiigi/fsutil"
)

const subrequestDockerfile = `# check=error=false
ARG REGION=eu
FROM busybox as base
# TIMEOUT sets how long the app waits.
ARG TIMEOUT=30
RUN --mount=type=secret,id=api_token,required=true --mount=type=ssh true

FROM base AS release
ARG flavour
RUN echo $REGION $TIMEOUT $flavour
`

// subrequest asks frontend (the built-in "dockerfile.v0", or the tightlip image) for requestid and
// returns the result metadata.
func subrequest(t *testing.T, dir, requestid string, useTightlip bool) map[string][]byte {
	t.Helper()
	ctx := t.Context()
	c, fs := h.client(t, dir)
	req := gateway.SolveRequest{
		Frontend: "dockerfile.v0",
		FrontendOpt: map[string]string{
			"requestid":       requestid,
			"context:busybox": "docker-image://" + h.busybox,
		},
	}
	if useTightlip {
		req.Frontend = "gateway.v0"
		req.FrontendOpt["source"] = h.image
	}
	var meta map[string][]byte
	_, err := c.Build(ctx, client.SolveOpt{LocalMounts: map[string]fsutil.FS{"context": fs, "dockerfile": fs}}, "tightlip-e2e",
		func(ctx context.Context, gc gateway.Client) (*gateway.Result, error) {
			res, err := gc.Solve(ctx, req)
			if err != nil {
				return nil, err
			}
			meta = res.Metadata
			return gateway.NewResult(), nil
		}, nil)
	if err != nil {
		t.Fatalf("%s: %v", requestid, err)
	}
	return meta
}

// The subrequests answer exactly as the stock frontend's do.
func TestSubrequestsMatchStock(t *testing.T) {
	dir := writeDir(t, map[string]string{"Dockerfile": subrequestDockerfile})
	for _, id := range []string{"frontend.outline", "frontend.targets", "frontend.lint", "frontend.subrequests.describe"} {
		t.Run(id, func(t *testing.T) {
			stock := subrequest(t, dir, id, false)
			tl := subrequest(t, dir, id, true)
			if len(stock["result.json"]) == 0 {
				t.Fatalf("stock frontend returned no result.json")
			}
			for _, key := range []string{"result.json", "result.txt"} {
				a, b := stock[key], tl[key]
				if key == "result.json" && id == "frontend.lint" {
					a, b = lintWithoutSession(t, a), lintWithoutSession(t, b)
				}
				if string(a) != string(b) {
					t.Errorf("%s differs\nstock:\n%s\ntightlip:\n%s", key, a, b)
				}
			}
			if id == "frontend.lint" && !strings.Contains(string(tl["result.json"]), "FromAsCasing") {
				t.Errorf("lint result lacks upstream's FromAsCasing finding:\n%s", tl["result.json"])
			}
		})
	}
}

// buildx --check and --call reach tightlip's own lint answer through `# syntax=`: no fallback to
// another frontend, no silent "no warnings".
func TestBuildxCheckAndCall(t *testing.T) {
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(subrequestDockerfile)})
	ctxArg := "busybox=docker-image://" + h.busybox

	out := h.buildx(t, nil, "build", "--check", "--build-context", ctxArg, dir).mustFail(t)
	for _, want := range []string{"FromAsCasing", "Dockerfile:4"} {
		if !strings.Contains(out, want) {
			t.Errorf("buildx --check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "docker/dockerfile") {
		t.Errorf("buildx --check fell back to another frontend:\n%s", out)
	}

	out = h.buildx(t, nil, "build", "--call=outline,format=json", "--build-context", ctxArg, dir).mustSucceed(t)
	for _, want := range []string{`"api_token"`, `"TIMEOUT"`, `"sets how long the app waits."`} {
		if !strings.Contains(out, want) {
			t.Errorf("buildx --call=outline lacks %s:\n%s", want, out)
		}
	}
	out = h.buildx(t, nil, "build", "--call=targets", "--build-context", ctxArg, dir).mustSucceed(t)
	if !strings.Contains(out, "release") || !strings.Contains(out, "base") {
		t.Errorf("buildx --call=targets lacks the stages:\n%s", out)
	}
}

// lintWithoutSession drops the LLB definitions of the lint result's sources: they name the client
// session, which differs from build to build.
func lintWithoutSession(t *testing.T, data []byte) []byte {
	t.Helper()
	var res map[string]any
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	srcs, _ := res["sources"].([]any)
	for _, s := range srcs {
		delete(s.(map[string]any), "definition")
	}
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
