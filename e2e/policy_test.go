//go:build e2e

package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/distribution/reference"

	"github.com/tightlip/tightlip/internal/canary"
)

// orgPolicy is the organisation policy baked into the org image: it tightens the default (ACME_*
// names are credentials, TL121 fails builds) and lets repositories add exceptions for TL101 only.
const orgPolicy = `apiVersion: tightlip.dev/v1
rules:
  TL121: error
credentials:
  names:
    extra: ["ACME_*"]
permissions:
  exceptions: [TL101]
`

// buildOrgImage builds the organisation's frontend image as docs/policy.md tells an organisation to:
// FROM the tightlip image, COPY policy.yaml /etc/tightlip/policy.yaml, pushed to the registry.
func buildOrgImage(t *testing.T) string {
	t.Helper()
	dir := writeDir(t, map[string]string{
		"Dockerfile":  "FROM " + h.image + "\nCOPY policy.yaml /etc/tightlip/policy.yaml\n",
		"policy.yaml": orgPolicy,
	})
	image := h.registry + "/acme/tightlip:1"
	h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "dockerfile.v0",
		"--local", "context="+dir, "--local", "dockerfile="+dir,
		"--output", "type=image,name="+image+",push=true").mustSucceed(t)
	return image
}

// TestOrganisationPolicy: an organisation image with a stricter baked policy rejects a Dockerfile the
// default accepts; a repository policy cannot loosen it; the bypass attempts are refused with a
// message saying why; an exception with a reason lets a build through and is reported; an expired
// one does not; a broken repository policy fails the build with its file and line.
func TestOrganisationPolicy(t *testing.T) {
	org := buildOrgImage(t)
	secret := canary.Value(t)
	// ACME_LICENSE_KEY would not be a credential by name without the organisation's policy... but
	// KEY is one by default, so use a name only the organisation's extra pattern makes a credential.
	const body = "FROM busybox\nENV ACME_LICENCE=%s\n"
	dockerfile := strings.Replace(body, "%s", secret, 1)

	build := func(t *testing.T, syntax string, files map[string]string, extra ...string) result {
		t.Helper()
		all := map[string]string{"Dockerfile": syntax + dockerfile}
		for k, v := range files {
			all[k] = v
		}
		dir := writeDir(t, all)
		args := append([]string{"build", "--progress=plain", "--frontend", "dockerfile.v0",
			"--local", "context=" + dir, "--local", "dockerfile=" + dir,
			"--opt", "context:busybox=docker-image://" + h.busybox,
			"--output", "type=oci,dest=" + filepath.Join(t.TempDir(), "image.tar")}, extra...)
		return h.buildctl(t, nil, args...)
	}
	orgSyntax := "# syntax=" + org + "\n"
	contains := func(t *testing.T, out string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
		assertNoCanary(t, secret, out)
	}

	t.Run("default accepts", func(t *testing.T) {
		out := build(t, "# syntax="+h.image+"\n", nil).mustSucceed(t)
		assertNoCanary(t, secret, out)
	})
	t.Run("organisation rejects", func(t *testing.T) {
		out := build(t, orgSyntax, nil).mustFail(t)
		contains(t, out, "TL101", "ENV ACME_LICENCE stores a credential", "Dockerfile:3")
	})
	t.Run("repository cannot loosen", func(t *testing.T) {
		out := build(t, orgSyntax, map[string]string{".tightlip.yaml": "apiVersion: tightlip.dev/v1\nrules:\n  TL101: warning\n"}).mustFail(t)
		contains(t, out, ".tightlip.yaml:3:10: rules.TL101: warning", "does not permit (permissions.severity)", "/etc/tightlip/policy.yaml (organisation)")
		out = build(t, orgSyntax, map[string]string{".tightlip.yaml": "apiVersion: tightlip.dev/v1\ncredentials:\n  names:\n    allowed: [ACME_LICENCE]\n"}).mustFail(t)
		contains(t, out, "credentials.names.allowed loosens the policy", "permissions.allowedNames")
	})
	t.Run("check=skip is refused", func(t *testing.T) {
		out := build(t, orgSyntax+"# check=skip=TL101\n", nil).mustFail(t)
		contains(t, out, "TL101", "`# check=skip=TL101` does not turn off TL101", "directives.checkSkip")
	})
	t.Run("BUILDKIT_DOCKERFILE_CHECK is refused", func(t *testing.T) {
		out := build(t, orgSyntax, nil, "--opt", "build-arg:BUILDKIT_DOCKERFILE_CHECK=skip=all").mustFail(t)
		contains(t, out, "TL101", "the build argument BUILDKIT_DOCKERFILE_CHECK does not turn off tightlip's rules")
	})
	t.Run("another syntax line is refused", func(t *testing.T) {
		// The organisation's image is the default frontend (gateway.v0); the Dockerfile asks for the
		// plain tightlip image, whose default policy would accept it.
		dir := writeDir(t, map[string]string{"Dockerfile": "# syntax=" + h.image + "\n" + dockerfile})
		out := h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "gateway.v0", "--opt", "source="+org,
			"--local", "context="+dir, "--local", "dockerfile="+dir,
			"--opt", "context:busybox=docker-image://"+h.busybox).mustFail(t)
		contains(t, out, "TL101", "does not hand this build to another frontend", "directives.syntax")
	})
	t.Run("BUILDKIT_SYNTAX is refused", func(t *testing.T) {
		// Inside the organisation's frontend (the default frontend here) the build argument does not
		// switch frontends. (With the daemon's built-in Dockerfile frontend, it is the client that
		// chooses: docs/policy.md says how an organisation closes that door.)
		dir := writeDir(t, map[string]string{"Dockerfile": dockerfile})
		out := h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "gateway.v0", "--opt", "source="+org,
			"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "build-arg:BUILDKIT_SYNTAX="+h.image,
			"--opt", "context:busybox=docker-image://"+h.busybox).mustFail(t)
		contains(t, out, "TL101", "BUILDKIT_SYNTAX="+h.image+" does not hand this build to another frontend")
	})
	exception := func(expires string) map[string]string {
		return map[string]string{".tightlip.yaml": "apiVersion: tightlip.dev/v1\nexceptions:\n  - rule: TL101\n    subject: ACME_LICENCE\n" +
			"    reason: the licence key is public, ticket SEC-7\n    expires: " + expires + "\n"}
	}
	t.Run("exception lets the build through and is reported", func(t *testing.T) {
		files := exception("2099-12-31")
		files["Dockerfile"] = orgSyntax + dockerfile
		dir := writeDir(t, files)
		out := h.buildx(t, nil, "build", "--build-context", "busybox=docker-image://"+h.busybox, dir).mustSucceed(t)
		contains(t, out, "TL101 error", "let through by the exception at .tightlip.yaml:3 (repository) until 2099-12-31: the licence key is public, ticket SEC-7")
	})
	t.Run("expired exception does not apply", func(t *testing.T) {
		out := build(t, orgSyntax, exception("2020-01-01")).mustFail(t)
		contains(t, out, "TL101", "expired on 2020-01-01 and no longer applies")
	})
	t.Run("broken repository policy fails closed", func(t *testing.T) {
		out := build(t, orgSyntax, map[string]string{".tightlip.yaml": "apiVersion: tightlip.dev/v1\nrule:\n  TL101: off\n"}).mustFail(t)
		contains(t, out, "the repository build policy is invalid", `.tightlip.yaml:2:1: unknown key "rule"`,
			".tightlip.yaml:2", "rule:") // the policy file's snippet

	})
}

// TestNamedContextPolicy: the image rules check what a named build context puts in place of an image,
// as the frontend receives it from the client: the registry image the e2e builds use for busybox is
// allowed where the policy lists its repository, and refused where it does not, although the
// Dockerfile names busybox in both.
func TestNamedContextPolicy(t *testing.T) {
	named, err := reference.ParseNormalizedNamed(h.busybox)
	if err != nil {
		t.Fatal(err)
	}
	repo := named.Name()
	build := func(t *testing.T, allowed string) result {
		t.Helper()
		dir := writeDir(t, map[string]string{
			"Dockerfile":     "# syntax=" + h.image + "\nFROM busybox\nRUN --network=none true\n",
			".tightlip.yaml": "apiVersion: tightlip.dev/v1\nbaseImages:\n  allowed: [" + allowed + "]\n",
		})
		return h.buildctl(t, nil, "build", "--progress=plain", "--frontend", "dockerfile.v0",
			"--local", "context="+dir, "--local", "dockerfile="+dir,
			"--opt", "context:busybox=docker-image://"+h.busybox,
			"--output", "type=oci,dest="+filepath.Join(t.TempDir(), "image.tar"))
	}
	t.Run("the context's image is allowed", func(t *testing.T) {
		build(t, repo).mustSucceed(t)
	})
	t.Run("the context's image is not allowed", func(t *testing.T) {
		out := build(t, "registry.example.com/base").mustFail(t)
		for _, w := range []string{"TL401", "FROM busybox (replaced by the named build context busybox, image " + repo + ") is not an allowed image", "Dockerfile:2"} {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
	})
}
