//go:build e2e

package e2e

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/internal/canary"
)

// A leaky Dockerfile fails through the image, with the rule, the location and the fix in the client
// output, and without the credential's value anywhere in that output.
func TestLeakyDockerfilesFail(t *testing.T) {
	token := canary.GitHubToken(t)
	for name, tc := range map[string]struct {
		dockerfile string
		files      map[string]string
		rule       string
		line       int // in the Dockerfile without the syntax line
	}{
		"ENV with a credential": {
			dockerfile: "FROM busybox\nENV DB_PASSWORD=" + token + "\n",
			rule:       "TL101", line: 2,
		},
		"token in a RUN": {
			dockerfile: "FROM busybox\nRUN --network=none echo " + token + " >/dev/null\n",
			rule:       "TL110", line: 2,
		},
		"credential ARG default": {
			dockerfile: "FROM busybox\nARG GH_TOKEN=" + token + "\nRUN --network=none test -n \"$GH_TOKEN\"\n",
			rule:       "TL102", line: 2,
		},
		"npmrc copied by name": {
			dockerfile: "FROM busybox\nWORKDIR /app\nCOPY .npmrc package.json ./\n",
			files:      map[string]string{".npmrc": "//registry.npmjs.org/:_authToken=" + token + "\n", "package.json": "{}"},
			rule:       "TL120", line: 3,
		},
		"npmrc copied by COPY . (read from the build context)": {
			dockerfile: "FROM busybox\nWORKDIR /app\nCOPY . .\n",
			files:      map[string]string{"config/.npmrc": "//registry.npmjs.org/:_authToken=" + token + "\n", "main.js": ""},
			rule:       "TL120", line: 3,
		},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"Dockerfile": h.withSyntax(tc.dockerfile)}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeDir(t, files)
			tarball := filepath.Join(t.TempDir(), "image.tar")
			out := h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "dockerfile.v0",
				"--local", "context="+dir, "--local", "dockerfile="+dir,
				"--opt", "context:busybox=docker-image://"+h.busybox,
				"--output", "type=oci,dest="+tarball).mustFail(t)
			for _, want := range []string{tc.rule, "Dockerfile:" + strconv.Itoa(tc.line+1), "docs/rules/" + tc.rule + ".md"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			assertNoCanary(t, token, out)

			outx := h.buildx(t, nil, "build", "--build-context", "busybox=docker-image://"+h.busybox, dir).mustFail(t)
			if !strings.Contains(outx, tc.rule) {
				t.Errorf("buildx output lacks %q:\n%s", tc.rule, outx)
			}
			assertNoCanary(t, token, outx)
		})
	}
}

// The same credential files are fine when .dockerignore keeps them out of the context; warnings are
// shown and do not fail the build.
func TestCleanDockerfileBuildsWithWarnings(t *testing.T) {
	token := canary.GitHubToken(t)
	dockerfile := "FROM busybox\nARG NPM_TOKEN\nWORKDIR /app\nCOPY . .\nRUN --network=none test -n \"$NPM_TOKEN\" || true\n"
	dir := writeDir(t, map[string]string{
		"Dockerfile":    h.withSyntax(dockerfile),
		".dockerignore": "**/.npmrc\n",
		"config/.npmrc": "//registry.npmjs.org/:_authToken=" + token + "\n",
		"main.js":       "console.log('hi')\n",
	})
	tarball := filepath.Join(t.TempDir(), "image.tar")
	secret := canary.Value(t)
	env := []string{"NPM_TOKEN=" + secret}
	out := h.buildctl(t, env, "build", "--progress=plain", "--frontend", "dockerfile.v0",
		"--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--secret", "id=NPM_TOKEN,env=NPM_TOKEN",
		"--output", "type=oci,dest="+tarball).mustSucceed(t)
	assertBuiltByTightlip(t, tarball)
	assertNoCanary(t, token, out, tarball)
	assertNoCanary(t, secret, out, tarball)

	// buildx lists every warning in its summary (buildctl's plain progress may drop warnings that
	// arrive after their vertex completed).
	out = h.buildx(t, env, "build", "--progress=plain", "--build-context", "busybox=docker-image://"+h.busybox,
		"--secret", "id=NPM_TOKEN,env=NPM_TOKEN", dir).mustSucceed(t)
	for _, want := range []string{"TL103 secret-build-arg", "(line 3)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the credential build argument warning lacks %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, token, out)
	assertNoCanary(t, secret, out)
}

// buildx --check reports tightlip's findings beside upstream's, and the policy's note on a
// `# check=skip` it does not honour.
func TestBuildxCheckReportsFindings(t *testing.T) {
	token := canary.GitHubToken(t)
	dockerfile := "# check=skip=TL101\nFROM busybox as base\nENV API_TOKEN=" + token + "\n"
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(dockerfile)})
	out := h.buildx(t, nil, "build", "--check", "--build-context", "busybox=docker-image://"+h.busybox, dir).mustFail(t)
	for _, want := range []string{"FromAsCasing", "TL101", "TL110", "TightlipPolicy", "`# check=skip=TL101` does not turn off TL101"} {
		if !strings.Contains(out, want) {
			t.Errorf("buildx --check output lacks %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, token, out)
}
