//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/tonistiigi/fsutil"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/frontend"
)

// client connects to the harness's daemon (closed when the test ends) and opens dir for the build's
// local mounts.
func (hs *harness) client(t *testing.T, dir string) (*client.Client, fsutil.FS) {
	t.Helper()
	c, err := client.New(t.Context(), hs.host)
	if err != nil {
		t.Fatalf("connecting to buildkitd: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	fs, err := fsutil.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c, fs
}

// buildInProcess runs build in this process against the harness's daemon, with dir as both the
// context and the dockerfile source, and exports the result to a local directory it returns.
func buildInProcess(t *testing.T, dir string, attrs map[string]string, build gateway.BuildFunc) (string, error) {
	t.Helper()
	ctx := t.Context()
	c, fs := h.client(t, dir)
	out := t.TempDir()
	opt := client.SolveOpt{
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		FrontendAttrs: map[string]string{"context:busybox": "docker-image://" + h.busybox},
		Exports:       []client.ExportEntry{{Type: client.ExporterLocal, OutputDir: out}},
	}
	for k, v := range attrs {
		opt.FrontendAttrs[k] = v
	}
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range ch {
		}
	}()
	_, err := c.Build(ctx, opt, "tightlip", build, ch)
	<-done
	return out, err
}

func readOut(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestInProcessBuild(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"Dockerfile": "FROM busybox\nARG GREETING=hello\nCOPY in.txt /in.txt\nRUN --network=none echo \"$GREETING $(cat /in.txt)\" >/out.txt\n",
		"in.txt":     "world",
	})
	out, err := buildInProcess(t, dir, map[string]string{"build-arg:GREETING": "hi"}, frontend.New(frontend.Options{}).Build)
	if err != nil {
		t.Fatal(err)
	}
	if got := readOut(t, out, "out.txt"); got != "hi world\n" {
		t.Fatalf("out.txt = %q, want %q", got, "hi world\n")
	}
}

// The seam: upstream converts the analyser's text, and keeps pointing at the user's line numbers.
func TestInProcessRewriteSeam(t *testing.T) {
	dockerfile := "FROM busybox\n# a comment\nRUN --network=none echo original >/out.txt\nRUN --network=none exit 3\n"
	dir := writeDir(t, map[string]string{"Dockerfile": dockerfile})
	rewrite := func(_ context.Context, in *frontend.Input) (*analysis.Result, error) {
		if in.Filename != "Dockerfile" || string(in.Dockerfile) != dockerfile {
			t.Errorf("analyser got %q %q", in.Filename, in.Dockerfile)
		}
		return &analysis.Result{Dockerfile: bytes.Replace(in.Dockerfile, []byte("echo original"), []byte("echo rewritten"), 1)}, nil
	}
	_, err := buildInProcess(t, dir, nil, frontend.New(frontend.Options{Analyze: rewrite}).Build)
	if err == nil || !strings.Contains(err.Error(), "exit code: 3") {
		t.Fatalf("want the failing RUN's error, got %v", err)
	}
	if line := firstErrorLine(err); line != 4 {
		t.Fatalf("error points at line %d, want 4", line)
	}

	// Without the failing step the rewritten text is what ran.
	dockerfile = strings.Replace(dockerfile, "exit 3", "true", 1)
	dir = writeDir(t, map[string]string{"Dockerfile": dockerfile})
	out, err := buildInProcess(t, dir, nil, frontend.New(frontend.Options{Analyze: rewrite}).Build)
	if err != nil {
		t.Fatal(err)
	}
	if got := readOut(t, out, "out.txt"); got != "rewritten\n" {
		t.Fatalf("out.txt = %q, want the rewritten step's output", got)
	}
}

func TestInProcessAnalyzerErrors(t *testing.T) {
	dir := writeDir(t, map[string]string{"Dockerfile": "FROM busybox\nRUN true\n"})
	refuse := func(context.Context, *frontend.Input) (*analysis.Result, error) {
		return nil, errors.New("refused by the analyser")
	}
	if _, err := buildInProcess(t, dir, nil, frontend.New(frontend.Options{Analyze: refuse}).Build); err == nil || !strings.Contains(err.Error(), "refused by the analyser") {
		t.Fatalf("want the analyser's error, got %v", err)
	}
	addLine := func(_ context.Context, in *frontend.Input) (*analysis.Result, error) {
		return &analysis.Result{Dockerfile: append([]byte("# extra\n"), in.Dockerfile...)}, nil
	}
	if _, err := buildInProcess(t, dir, nil, frontend.New(frontend.Options{Analyze: addLine}).Build); err == nil || !strings.Contains(err.Error(), "has 3 lines instead of 2") {
		t.Fatalf("a rewrite that moves lines must fail the build, got %v", err)
	}
}

// firstErrorLine returns the first source line an error is attributed to, or 0.
func firstErrorLine(err error) int {
	for _, src := range errdefs.Sources(err) {
		for _, r := range src.Ranges {
			return int(r.Start.Line)
		}
	}
	return 0
}
