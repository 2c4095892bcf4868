//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/internal/canary"
	"github.com/tightlip/tightlip/internal/cli"
)

// leakyVerifyDockerfile passes credentials every way that ships them: a credential build argument
// that RUN steps read (BuildKit records its value in their history entries), an .npmrc with a token
// copied in and removed by a later RUN (still in the COPY's layer), and an ENV with a password.
const leakyVerifyDockerfile = `FROM busybox
ARG NPM_TOKEN
WORKDIR /app
COPY .npmrc /app/.npmrc
RUN --network=none test -n "$NPM_TOKEN" && echo built >/app/built.txt
RUN --network=none rm /app/.npmrc
ENV DB_PASSWORD=%s
`

// cleanVerifyDockerfile is the same build without the COPY and the ENV; built through tightlip, the
// build argument becomes a secret mount.
const cleanVerifyDockerfile = `FROM busybox
ARG NPM_TOKEN
WORKDIR /app
RUN --network=none test -n "$NPM_TOKEN" && echo built >/app/built.txt
`

// verifyImage runs `tightlip verify ARGS` in this process and returns its exit code and output.
func verifyImage(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"verify"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// layersOf maps the image's history to its layers: for each layer, the created_by of the entry that
// made it.
func layersOf(t *testing.T, tarball string) []string {
	t.Helper()
	_, images := readOCI(t, tarball)
	if len(images) != 1 {
		t.Fatalf("%d images in the export, want 1", len(images))
	}
	history, _ := images[0].Config["history"].([]any)
	var layers []string
	for _, h := range history {
		entry, _ := h.(map[string]any)
		if empty, _ := entry["empty_layer"].(bool); !empty {
			s, _ := entry["created_by"].(string)
			layers = append(layers, s)
		}
	}
	if len(layers) != len(images[0].Layers) {
		t.Fatalf("%d non-empty history entries for %d layers", len(layers), len(images[0].Layers))
	}
	return layers
}

// layerOf returns the index of the layer made by the instruction whose created_by contains s.
func layerOf(t *testing.T, layers []string, s string) int {
	t.Helper()
	for i, cb := range layers {
		if strings.Contains(cb, s) {
			return i
		}
	}
	t.Fatalf("no layer made by %q in %q", s, layers)
	return -1
}

// An image built leakily with the daemon's own Dockerfile frontend: verify finds each leak where it
// is (the config, the history entry and its layer, the layer that still ships a deleted file), exits 1
// and never prints a credential; known values are found too. The same build through tightlip, with the
// credential as a secret, verifies clean.
func TestVerifyBuiltImages(t *testing.T) {
	npmToken, npmrcToken, password := canary.Value(t), canary.Value(t), canary.Value(t)
	dir := writeDir(t, map[string]string{
		"Dockerfile": fmt.Sprintf(leakyVerifyDockerfile, password),
		".npmrc":     "//registry.npmjs.org/:_authToken=" + npmrcToken + "\n",
	})
	tarball := filepath.Join(t.TempDir(), "leaky.tar")
	out := h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "dockerfile.v0",
		"--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--opt", "build-arg:NPM_TOKEN="+npmToken,
		"--output", "type=oci,dest="+tarball).mustSucceed(t)
	if strings.Contains(out, "dev.tightlip") {
		t.Fatalf("the leaky image was built through tightlip:\n%s", out)
	}
	layers := layersOf(t, tarball)
	copyLayer := layerOf(t, layers, "COPY .npmrc")
	runLayer := layerOf(t, layers, "echo built")
	rmLayer := layerOf(t, layers, "rm /app/.npmrc")

	code, stdout, stderr := verifyImage(t, tarball)
	if code != 1 {
		t.Errorf("verify exited %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		`(?m)^config/Env:\d+: error TLV101 config-env: ENV DB_PASSWORD holds a credential \(30 chars\) in the image config$`,
		`(?m)^history:\d+: error TLV103 history-build-arg: build argument NPM_TOKEN \(30 chars\) is recorded in history entry \d+ \(layer ` + strconv.Itoa(runLayer) + `\)`,
		`(?m)^  \d+ \| RUN \|1 NPM_TOKEN=\*{30} /bin/sh -c test -n "\$NPM_TOKEN" && echo built >/app/built.txt # buildkit$`,
		`(?m)^layer/` + strconv.Itoa(copyLayer) + `/app/\.npmrc:1:34: error TLV112 layer-deleted-credential: /app/\.npmrc holds npm registry credentials: deleted in layer ` +
			strconv.Itoa(rmLayer) + ` but still shipped in layer ` + strconv.Itoa(copyLayer) + `$`,
		`(?m)^    = layer ` + strconv.Itoa(copyLayer) + ` sha256:[0-9a-f]{12}: COPY \.npmrc /app/\.npmrc # buildkit$`,
		`(?m)^    = removed by layer ` + strconv.Itoa(rmLayer) + ` sha256:[0-9a-f]{12}: RUN \|1 NPM_TOKEN=\*{30} /bin/sh -c rm /app/\.npmrc # buildkit$`,
	} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("the verify output lacks %s:\n%s", want, stdout)
		}
	}
	if !regexp.MustCompile(`^\d+ errors, 0 warnings in .*leaky\.tar \(\d+ layers, \d+ files, `).MatchString(stderr) {
		t.Errorf("the summary is missing:\n%s", stderr)
	}
	for _, v := range []string{npmToken, npmrcToken, password} {
		assertNoCanary(t, v, stdout+stderr)
	}

	// Known values, raw: the build argument in the ARG's and both RUNs' history entries, the .npmrc in
	// its layer; each is a note on the finding already there.
	t.Setenv("NPM_TOKEN", npmToken)
	t.Setenv("NPMRC_TOKEN", npmrcToken)
	code, stdout, stderr = verifyImage(t, "--format", "json", "--secret-env", "NPM_TOKEN", "--secret-env", "NPMRC_TOKEN", tarball)
	if code != 1 {
		t.Errorf("verify --secret-env exited %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		`"message": "build argument NPM_TOKEN \(30 chars\) is recorded in history entry \d+ \(layer ` + strconv.Itoa(runLayer) + `\) \(the value of secret NPM_TOKEN\): pass it as a secret \(--secret id=NPM_TOKEN\) instead"`,
		`"message": "/app/\.npmrc holds npm registry credentials \(the value of secret NPMRC_TOKEN\): deleted in layer ` + strconv.Itoa(rmLayer) + ` but still shipped in layer ` + strconv.Itoa(copyLayer) + `"`,
	} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("the JSON output lacks %s:\n%s", want, stdout)
		}
	}
	for _, v := range []string{npmToken, npmrcToken, password} {
		assertNoCanary(t, v, stdout+stderr)
	}

	// The same build through tightlip, the credential passed as a secret: nothing to report, not even
	// the secret's value.
	clean := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(cleanVerifyDockerfile)})
	cleanTar := filepath.Join(t.TempDir(), "clean.tar")
	out = h.buildctl(t, []string{"NPM_TOKEN=" + npmToken}, "build", "--progress=plain", "--frontend", "dockerfile.v0",
		"--local", "context="+clean, "--local", "dockerfile="+clean,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--secret", "id=NPM_TOKEN,env=NPM_TOKEN",
		"--output", "type=oci,dest="+cleanTar).mustSucceed(t)
	assertBuiltByTightlip(t, cleanTar)
	assertNoCanary(t, npmToken, out)
	code, stdout, stderr = verifyImage(t, "--secret-env", "NPM_TOKEN", cleanTar)
	if code != 0 || stdout != "" {
		t.Errorf("verify of the image built through tightlip exited %d:\n%s%s", code, stdout, stderr)
	}
	if !strings.HasPrefix(stderr, "no findings in ") {
		t.Errorf("the summary is missing: %q", stderr)
	}
	assertNoCanary(t, npmToken, stdout+stderr)
}

// verify reads an image from the loopback registry (plain HTTP on 127.0.0.1).
func TestVerifyRegistryImage(t *testing.T) {
	code, stdout, stderr := verifyImage(t, "--format", "json", h.busybox)
	if code != 0 {
		t.Fatalf("verify %s exited %d:\n%s%s", h.busybox, code, stdout, stderr)
	}
	if !strings.Contains(stdout, `"errors": 0,`) || !regexp.MustCompile(`"layers": [1-9]`).MatchString(stdout) {
		t.Errorf("verify did not read the image:\n%s", stdout)
	}
}
