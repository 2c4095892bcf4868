//go:build e2e

package e2e

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/frontend"
	"github.com/tightlip/tightlip/internal/canary"
)

const secretDockerfile = `FROM busybox
COPY in.txt /in.txt
RUN --network=none --mount=type=secret,id=tok,env=TOK test -n "$TOK" && cat /in.txt >/ok.txt
`

// assertBuiltByTightlip checks that every image in the OCI tarball carries tightlip's label.
func assertBuiltByTightlip(t *testing.T, tarball string) {
	t.Helper()
	_, images := readOCI(t, tarball)
	if len(images) == 0 {
		t.Fatal("no image in the export")
	}
	for _, img := range images {
		if img.label(frontend.LabelVersion) == "" {
			t.Fatalf("image %s has no %s label: the build did not run through tightlip", img.Platform, frontend.LabelVersion)
		}
	}
}

func TestSyntaxLineBuildctl(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(secretDockerfile), "in.txt": "ok"})
	tarball := filepath.Join(t.TempDir(), "image.tar")
	out := h.buildctl(t, []string{"TOK=" + secret}, "build", "--progress=plain",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--secret", "id=tok,env=TOK",
		"--output", "type=oci,dest="+tarball).mustSucceed(t)
	if !strings.Contains(out, h.image) {
		t.Fatalf("the progress does not show the frontend image %s being loaded:\n%s", h.image, out)
	}
	assertBuiltByTightlip(t, tarball)
	assertNoCanary(t, secret, out, tarball)
}

func TestSyntaxLineBuildx(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(secretDockerfile), "in.txt": "ok"})
	tarball := filepath.Join(t.TempDir(), "image.tar")
	out := h.buildx(t, []string{"TOK=" + secret}, "build", "--progress=plain",
		"--build-context", "busybox=docker-image://"+h.busybox,
		"--secret", "id=tok,env=TOK",
		"--output", "type=oci,dest="+tarball, dir).mustSucceed(t)
	assertBuiltByTightlip(t, tarball)
	assertNoCanary(t, secret, out, tarball)
}

// A build that reached tightlip stays in tightlip, whatever `# syntax=` or BUILDKIT_SYNTAX name.
func TestNoEscapeToAnotherFrontend(t *testing.T) {
	const elsewhere = "frontend.invalid/other:1"
	dockerfile := "# syntax=" + elsewhere + "\nFROM busybox\nRUN --network=none echo built >/built.txt\n"
	dir := writeDir(t, map[string]string{"Dockerfile": dockerfile})
	common := []string{"build", "--local", "context=" + dir, "--local", "dockerfile=" + dir,
		"--opt", "context:busybox=docker-image://" + h.busybox}

	t.Run("gateway source with a syntax line", func(t *testing.T) {
		tarball := filepath.Join(t.TempDir(), "image.tar")
		args := append(common, "--frontend", "gateway.v0", "--opt", "source="+h.image, "--output", "type=oci,dest="+tarball)
		h.buildctl(t, nil, args...).mustSucceed(t)
		assertBuiltByTightlip(t, tarball)
	})
	t.Run("gateway source with BUILDKIT_SYNTAX", func(t *testing.T) {
		tarball := filepath.Join(t.TempDir(), "image.tar")
		args := append(common, "--frontend", "gateway.v0", "--opt", "source="+h.image,
			"--opt", "build-arg:BUILDKIT_SYNTAX="+elsewhere, "--output", "type=oci,dest="+tarball)
		h.buildctl(t, nil, args...).mustSucceed(t)
		assertBuiltByTightlip(t, tarball)
	})
	t.Run("buildx BUILDKIT_SYNTAX naming tightlip over a syntax line naming another image", func(t *testing.T) {
		tarball := filepath.Join(t.TempDir(), "image.tar")
		h.buildx(t, nil, "build", "--build-arg", "BUILDKIT_SYNTAX="+h.image,
			"--build-context", "busybox=docker-image://"+h.busybox,
			"--output", "type=oci,dest="+tarball, dir).mustSucceed(t)
		assertBuiltByTightlip(t, tarball)
	})
	t.Run("in-process", func(t *testing.T) {
		out, err := buildInProcess(t, dir, map[string]string{"build-arg:BUILDKIT_SYNTAX": elsewhere}, frontend.New(frontend.Options{}).Build)
		if err != nil {
			t.Fatal(err)
		}
		if got := readOut(t, out, "built.txt"); got != "built\n" {
			t.Fatalf("built.txt = %q", got)
		}
	})
}

// A malformed Dockerfile fails with upstream's message, pointing at the same line as the stock frontend.
func TestMalformedDockerfile(t *testing.T) {
	for name, tc := range map[string]struct {
		dockerfile string
		message    string
		line       int
	}{
		"unknown instruction": {"FROM busybox\nRUN true\nFOO bar\n", "unknown instruction: FOO", 3},
		"bad mount option":    {"FROM busybox\n\nRUN --mount=type=bogus true\n", "unsupported mount type", 3},
		"missing FROM":        {"RUN true\n", "no build stage in current context", 1},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"Dockerfile": tc.dockerfile})
			common := []string{"build", "--local", "context=" + dir, "--local", "dockerfile=" + dir,
				"--opt", "context:busybox=docker-image://" + h.busybox}
			stock := h.buildctl(t, nil, append(common, "--frontend", "dockerfile.v0")...).mustFail(t)
			tl := h.buildctl(t, nil, append(common, "--frontend", "gateway.v0", "--opt", "source="+h.image)...).mustFail(t)
			for who, out := range map[string]string{"stock": stock, "tightlip": tl} {
				if !strings.Contains(out, tc.message) {
					t.Errorf("%s output lacks %q:\n%s", who, tc.message, out)
				}
			}
			if got, want := snippetLines(tl), snippetLines(stock); got != want || !strings.Contains(got, "Dockerfile:"+strconv.Itoa(tc.line)) {
				t.Errorf("tightlip points at %q, stock at %q, want Dockerfile:%d", got, want, tc.line)
			}

			// The same through `# syntax=` with buildx: one line further down.
			dir = writeDir(t, map[string]string{"Dockerfile": h.withSyntax(tc.dockerfile)})
			out := h.buildx(t, nil, "build", "--build-context", "busybox=docker-image://"+h.busybox, dir).mustFail(t)
			if !strings.Contains(out, tc.message) || !strings.Contains(out, "Dockerfile:"+strconv.Itoa(tc.line+1)) {
				t.Errorf("buildx output lacks %q at Dockerfile:%d:\n%s", tc.message, tc.line+1, out)
			}
		})
	}
}

var snippetHeader = regexp.MustCompile(`(?m)^ *Dockerfile:\d+`)

func snippetLines(out string) string {
	return strings.Join(snippetHeader.FindAllString(out, -1), ",")
}
