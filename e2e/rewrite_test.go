//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/internal/canary"
)

const npmDockerfile = `FROM busybox AS build
ARG NPM_TOKEN
WORKDIR /app
RUN --network=none printf %s "$NPM_TOKEN" | sha256sum | cut -d' ' -f1 >/app/token.sha256
RUN --network=none echo "length ${#NPM_TOKEN}" >/app/token.len

FROM busybox
COPY --from=build /app/ /app/
`

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// fileInImage returns a file's content from the last layer of the image that holds it.
func fileInImage(t *testing.T, tarball, name string) string {
	t.Helper()
	blobs, images := readOCI(t, tarball)
	var content string
	for _, img := range images {
		for _, layer := range img.Layers {
			if data, ok := layerFiles(t, blobs[layer])[name]; ok {
				content = data
			}
		}
	}
	return content
}

// A credential build argument read only by RUN steps reaches them as a secret: the value is found
// nowhere else (layers, config, history, max-mode provenance, progress, metadata, the builder's history).
func TestRewriteBuildArgToSecret(t *testing.T) {
	token := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(npmDockerfile)})
	work := t.TempDir()
	tarball := filepath.Join(work, "image.tar")
	metadata := filepath.Join(work, "metadata.json")
	out := h.buildx(t, []string{"NPM_TOKEN=" + token}, "build", "--progress=plain", "--no-cache",
		"--build-context", "busybox=docker-image://"+h.busybox,
		"--secret", "id=NPM_TOKEN,env=NPM_TOKEN",
		"--provenance=mode=max",
		"--metadata-file", metadata,
		"--output", "type=oci,dest="+tarball, dir).mustSucceed(t)

	if got := strings.TrimSpace(fileInImage(t, tarball, "app/token.sha256")); got != sha256hex(token) {
		t.Fatalf("the RUN step did not see the secret's value: sha256 %q", got)
	}
	if !strings.Contains(out, "TL103 secret-build-arg: build arg NPM_TOKEN carries a credential: tightlip passes it to the RUN steps as a secret mount") {
		t.Errorf("the rewrite warning is missing:\n%s", out)
	}
	blobs, images := readOCI(t, tarball)
	if !provenanceIn(blobs) {
		t.Errorf("the export holds no provenance attestation: the test would not see a leak there")
	}
	for _, img := range images {
		hist, _ := json.Marshal(img.Config["history"])
		if strings.Contains(string(hist), "NPM_TOKEN=") {
			t.Errorf("the image history names the build argument: %s", hist)
		}
	}
	meta, err := os.ReadFile(metadata)
	if err != nil {
		t.Fatal(err)
	}
	record := h.buildHistory(t, meta)
	assertNoCanary(t, token, out+string(meta)+record, tarball)
}

// buildHistory returns what the builder's history holds of the build named by a buildx metadata file:
// the record as JSON and the build's logs.
func (hs *harness) buildHistory(t *testing.T, metadata []byte) string {
	t.Helper()
	var md map[string]any
	if err := json.Unmarshal(metadata, &md); err != nil {
		t.Fatal(err)
	}
	ref, _ := md["buildx.build.ref"].(string)
	if ref == "" {
		t.Fatalf("no build ref in the metadata: %s", metadata)
	}
	id := path.Base(ref)
	record := hs.buildx(t, nil, "history", "inspect", "--format", "json", id).mustSucceed(t)
	if !strings.Contains(record, id) {
		t.Fatalf("the history record is not the build's:\n%s", record)
	}
	logs := hs.buildx(t, nil, "history", "logs", id).mustSucceed(t)
	return record + logs
}

func provenanceIn(blobs map[string][]byte) bool {
	for _, data := range blobs {
		if strings.Contains(string(data), "https://slsa.dev/provenance/") && strings.Contains(string(data), "predicate") {
			return true
		}
	}
	return false
}

func TestRewriteRefusesMissingSecretAndBuildArg(t *testing.T) {
	token := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(npmDockerfile)})
	ctxArg := "busybox=docker-image://" + h.busybox

	out := h.buildx(t, nil, "build", "--no-cache", "--build-context", ctxArg, dir).mustFail(t)
	if !strings.Contains(out, "NPM_TOKEN") || !strings.Contains(out, "not found") {
		t.Errorf("a missing secret must fail naming it:\n%s", out)
	}

	out = h.buildx(t, []string{"NPM_TOKEN=" + token}, "build", "--build-context", ctxArg, "--build-arg", "NPM_TOKEN", dir).mustFail(t)
	for _, want := range []string{"--build-arg NPM_TOKEN", "--secret id=NPM_TOKEN,env=NPM_TOKEN", "Dockerfile:3"} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, token, out)

	out = h.buildctl(t, nil, "build", "--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox, "--opt", "build-arg:NPM_TOKEN="+token).mustFail(t)
	if !strings.Contains(out, "--secret id=NPM_TOKEN,env=NPM_TOKEN") {
		t.Errorf("the buildctl refusal lacks the replacement:\n%s", out)
	}
	assertNoCanary(t, token, out)
}

// The outline lists the rewritten secret as required, so --call=outline tells which --secret to pass.
func TestRewriteOutline(t *testing.T) {
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(npmDockerfile)})
	out := h.buildx(t, nil, "build", "--call=outline,format=json", "--build-context", "busybox=docker-image://"+h.busybox, dir).mustSucceed(t)
	var outline struct {
		Secrets []struct {
			Name     string `json:"name"`
			Required bool   `json:"required"`
		} `json:"secrets"`
		Args []struct {
			Name string `json:"name"`
		} `json:"args"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &outline); err != nil {
		t.Fatalf("outline: %v\n%s", err, out)
	}
	found := false
	for _, s := range outline.Secrets {
		found = found || s.Name == "NPM_TOKEN" && s.Required
	}
	if !found {
		t.Errorf("the outline does not list NPM_TOKEN as a required secret:\n%s", out)
	}
	for _, a := range outline.Args {
		if a.Name == "NPM_TOKEN" {
			t.Errorf("the outline still lists NPM_TOKEN as a build argument:\n%s", out)
		}
	}
}

// Global ARG redeclared in a builder stage, heredoc and exec-form RUNs: each RUN sees the value.
func TestRewriteForms(t *testing.T) {
	token := canary.Value(t)
	dockerfile := `ARG GH_TOKEN
FROM busybox AS build
ARG GH_TOKEN
RUN --network=none <<EOT
mkdir -p /out
printf %s "$GH_TOKEN" | sha256sum | cut -d' ' -f1 >/out/heredoc.sha256
EOT
RUN ["/bin/sh", "-c", "printf %s \"$GH_TOKEN\" | sha256sum | cut -d' ' -f1 >/out/exec.sha256"]

FROM busybox
COPY --from=build /out/ /out/
`
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(dockerfile)})
	tarball := filepath.Join(t.TempDir(), "image.tar")
	out := h.buildx(t, []string{"GH_TOKEN=" + token}, "build", "--progress=plain", "--no-cache",
		"--build-context", "busybox=docker-image://"+h.busybox, "--secret", "id=GH_TOKEN,env=GH_TOKEN",
		"--output", "type=oci,dest="+tarball, dir).mustSucceed(t)
	for _, name := range []string{"out/heredoc.sha256", "out/exec.sha256"} {
		if got := strings.TrimSpace(fileInImage(t, tarball, name)); got != sha256hex(token) {
			t.Errorf("%s: the RUN step did not see the secret (sha256 %q)", name, got)
		}
	}
	assertNoCanary(t, token, out, tarball)
}
