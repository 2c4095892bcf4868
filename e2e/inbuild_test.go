//go:build e2e

package e2e

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/tonistiigi/fsutil"

	"github.com/tightlip/tightlip/frontend"
	"github.com/tightlip/tightlip/internal/canary"
)

// toolScript is a tool that caches its token where no rule expects it, base64-encoded: the
// Dockerfile only runs it, so the static rules cannot see what it writes.
const toolScript = `#!/bin/sh
mkdir -p /var/cache/tool
base64 </run/secrets/tok >/var/cache/tool/state
`

// leakyToolDockerfile runs the tool with the secret, then builds more layers on top.
const leakyToolDockerfile = `FROM busybox
COPY tool.sh /usr/local/bin/tool
RUN --network=none --mount=type=secret,id=tok tool
RUN --network=none echo done >/done.txt
`

// deletedToolDockerfile removes the tool's cache in a later layer: the layer that made it still ships it.
const deletedToolDockerfile = `FROM busybox
COPY tool.sh /usr/local/bin/tool
RUN --network=none --mount=type=secret,id=tok tool
RUN --network=none rm -rf /var/cache/tool
`

// cleanToolDockerfile uses the secret without keeping anything derived from it.
const cleanToolDockerfile = `FROM busybox
COPY tool.sh /usr/local/bin/tool
RUN --network=none --mount=type=secret,id=tok test -s /run/secrets/tok && echo checked >/checked.txt
RUN --network=none echo done >/done.txt
`

// buildctlSyntax builds dir's Dockerfile through `# syntax=` with the secret tok, without the cache
// (secret values are not part of the cache key), exporting an OCI tarball and the metadata file.
func buildctlSyntax(t *testing.T, dir, secret string) (res result, tarball, metadata string) {
	t.Helper()
	work := t.TempDir()
	tarball, metadata = filepath.Join(work, "image.tar"), filepath.Join(work, "metadata.json")
	res = h.buildctl(t, []string{"TOK=" + secret}, "build", "--progress=plain", "--no-cache",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--secret", "id=tok,env=TOK",
		"--metadata-file", metadata,
		"--output", "type=oci,dest="+tarball)
	return res, tarball, metadata
}

// readIfExists returns a file's content, or "" when it does not exist.
func readIfExists(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// A tool writes the secret base64-encoded into a file no rule models: the static analysis lets the
// build through, the verification fails it naming the secret, the Dockerfile line of the layer and the
// path, and no output holds the value.
func TestInBuildVerifyCatchesEncodedLeak(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(leakyToolDockerfile), "tool.sh": toolScript})
	if err := os.Chmod(filepath.Join(dir, "tool.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, tarball, metadata := buildctlSyntax(t, dir, secret)
	out := res.mustFail(t)
	for _, want := range []string{
		`Dockerfile:4: secret tok \(base64\) in /var/cache/tool/state, in the layer made by this instruction`,
		`fix: a step wrote the secret`,
		`(?m)^ *4 \| >>> RUN --network=none --mount=type=secret,id=tok tool$`, // the snippet
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the build output lacks %s:\n%s", want, out)
		}
	}
	if _, err := os.Stat(tarball); err == nil {
		assertNoCanary(t, secret, "", tarball)
	}
	assertNoCanary(t, secret, out+readIfExists(t, metadata))
	assertNoEncodedCanary(t, secret, out)
}

// A file made by one layer and deleted by the next still ships: the verification names the layer that
// made it.
func TestInBuildVerifyDeletedFile(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(deletedToolDockerfile), "tool.sh": toolScript})
	if err := os.Chmod(filepath.Join(dir, "tool.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, _, metadata := buildctlSyntax(t, dir, secret)
	out := res.mustFail(t)
	if want := `Dockerfile:4: secret tok (base64) in /var/cache/tool/state, in the layer made by this instruction`; !strings.Contains(out, want) {
		t.Errorf("the build output lacks %q:\n%s", want, out)
	}
	assertNoCanary(t, secret, out+readIfExists(t, metadata))
	assertNoEncodedCanary(t, secret, out)
}

// A clean build passes, and its progress says what was verified.
func TestInBuildVerifyClean(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(cleanToolDockerfile), "tool.sh": toolScript})
	res, tarball, metadata := buildctlSyntax(t, dir, secret)
	out := res.mustSucceed(t)
	line := regexp.MustCompile(`\[tightlip\] verified: no value of 1 secret in 3 layers and the image config \(\d+ files, [0-9.]+ [kMG]?B\)`)
	if !line.MatchString(out) {
		t.Errorf("the progress lacks the verification line:\n%s", out)
	}
	assertBuiltByTightlip(t, tarball)
	assertNoCanary(t, secret, out+readIfExists(t, metadata), tarball)
	assertNoEncodedCanary(t, secret, out)

	// Without the secret, nothing is searched for and the progress says so.
	dir = writeDir(t, map[string]string{"Dockerfile": h.withSyntax(strings.Replace(cleanToolDockerfile, "test -s /run/secrets/tok && ", "", 1)), "tool.sh": toolScript})
	out = h.buildctl(t, nil, "build", "--progress=plain",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox).mustSucceed(t)
	if !strings.Contains(out, "[tightlip] not verified: no secret value to search for") || !strings.Contains(out, "not searched: tok (not supplied)") {
		t.Errorf("the progress does not say that tok was not supplied:\n%s", out)
	}
}

// assertNoEncodedCanary fails when an encoding the scanner searches for is in the output.
func assertNoEncodedCanary(t *testing.T, value, output string) {
	t.Helper()
	for _, enc := range []string{fmt.Sprintf("%x", value), strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(value)), "=")} {
		if strings.Contains(output, enc) {
			t.Errorf("an encoding of the secret value appears in the client output")
		}
	}
}

// buildInProcessOCI runs the frontend in this process with the secret tok and exports an OCI tarball;
// it returns the tarball, the warnings and every vertex name the progress showed.
func buildInProcessOCI(t *testing.T, dir, secret string, opts frontend.Options) (tarball string, warnings, vertices []string, err error) {
	t.Helper()
	ctx := t.Context()
	c, fs := h.client(t, dir)
	tarball = filepath.Join(t.TempDir(), "image.tar")
	f, err := os.Create(tarball)
	if err != nil {
		t.Fatal(err)
	}
	opt := client.SolveOpt{
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		FrontendAttrs: map[string]string{"context:busybox": "docker-image://" + h.busybox, "no-cache": ""},
		Exports: []client.ExportEntry{{Type: client.ExporterOCI, Output: func(map[string]string) (io.WriteCloser, error) {
			return f, nil
		}}},
		Session: []session.Attachable{secretsprovider.FromMap(map[string][]byte{"tok": []byte(secret)})},
	}
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for st := range ch {
			for _, w := range st.Warnings {
				warnings = append(warnings, string(w.Short))
			}
			for _, v := range st.Vertexes {
				vertices = append(vertices, v.Name)
			}
		}
	}()
	_, err = c.Build(ctx, opt, "tightlip", frontend.New(opts).Build, ch)
	<-done
	return tarball, warnings, vertices, err
}

// Verification off (only the frontend's options can say so) lets the leak through, and `tightlip
// verify` finds it in the exported image; warn-only reports it as a warning; on, with the scanner
// image named in the options (as in-process builds need), fails the build.
func TestInBuildVerifyModes(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": leakyToolDockerfile, "tool.sh": toolScript})
	if err := os.Chmod(filepath.Join(dir, "tool.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	scanner := frontend.Verification{Image: h.image}

	t.Run("off", func(t *testing.T) {
		tarball, warnings, vertices, err := buildInProcessOCI(t, dir, secret, frontend.Options{Verification: frontend.Verification{Mode: frontend.VerifyOff}})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vertices {
			if strings.HasPrefix(v, "[tightlip]") {
				t.Errorf("verification off ran %q", v)
			}
		}
		t.Setenv("TOK", secret)
		code, stdout, stderr := verifyImage(t, "--secret-env", "TOK", tarball)
		if code != 1 || !regexp.MustCompile(`(?m)^layer/\d+/var/cache/tool/state(:\d+)*: error TLV120 known-secret: `).MatchString(stdout) {
			t.Errorf("tightlip verify exited %d and did not find the value in /var/cache/tool/state:\n%s%s", code, stdout, stderr)
		}
		assertNoCanary(t, secret, stdout+stderr+strings.Join(warnings, "\n"))
	})
	t.Run("warn", func(t *testing.T) {
		opts := frontend.Options{Version: h.version, Verification: scanner}
		opts.Verification.Mode = frontend.VerifyWarn
		_, warnings, _, err := buildInProcessOCI(t, dir, secret, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := "tightlip verification: Dockerfile:3: secret tok (base64) in /var/cache/tool/state, in the layer made by this instruction"
		if !strings.Contains(strings.Join(warnings, "\n"), want) {
			t.Errorf("no warning %q in %q", want, warnings)
		}
		assertNoCanary(t, secret, strings.Join(warnings, "\n"))
	})
	t.Run("on", func(t *testing.T) {
		_, warnings, _, err := buildInProcessOCI(t, dir, secret, frontend.Options{Version: h.version, Verification: scanner})
		if err == nil || !strings.Contains(err.Error(), "Dockerfile:3: secret tok (base64) in /var/cache/tool/state") {
			t.Fatalf("want the verification error, got %v", err)
		}
		t.Logf("the build error:\n%v", err)
		if line := firstErrorLine(err); line != 3 {
			t.Errorf("the error points at line %d, want 3", line)
		}
		assertNoCanary(t, secret, err.Error()+strings.Join(warnings, "\n"))
	})
	t.Run("budget", func(t *testing.T) {
		opts := frontend.Options{Version: h.version, Verification: scanner}
		opts.Verification.Budget = time.Nanosecond
		_, _, _, err := buildInProcessOCI(t, dir, secret, opts)
		if err == nil || !strings.Contains(err.Error(), "tightlip verification did not finish: the time budget of 1ns ran out after 0 of 3 layers") {
			t.Fatalf("a search out of time must fail the build, got %v", err)
		}
	})
	t.Run("wrong version", func(t *testing.T) {
		_, _, _, err := buildInProcessOCI(t, dir, secret, frontend.Options{Version: "v0.0.0-other", Verification: scanner})
		if err == nil || !strings.Contains(err.Error(), "this frontend is v0.0.0-other") {
			t.Fatalf("a scanner image of another version must fail the build, got %v", err)
		}
	})
}

// multiPlatformDockerfile leaks in a stage built once on the build platform, and copies the result
// into the image of every target platform.
const multiPlatformDockerfile = `FROM --platform=$BUILDPLATFORM busybox AS build
COPY tool.sh /usr/local/bin/tool
RUN --network=none --mount=type=secret,id=tok tool

FROM scratch
COPY --from=build /var/cache/tool/ /cache/
`

// Every platform's image is verified: the copy of the leak is found in each, at the COPY's line.
func TestInBuildVerifyPlatforms(t *testing.T) {
	secret := canary.Value(t)
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(multiPlatformDockerfile), "tool.sh": toolScript})
	if err := os.Chmod(filepath.Join(dir, "tool.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := h.buildctl(t, []string{"TOK=" + secret}, "build", "--progress=plain", "--no-cache",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "context:busybox=docker-image://"+h.busybox,
		"--opt", "platform=linux/amd64,linux/arm64",
		"--secret", "id=tok,env=TOK").mustFail(t)
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		want := "Dockerfile:7: secret tok (base64) in /cache/state, in the layer made by this instruction (layer 1 of this build, " + p + ")"
		if !strings.Contains(out, want) {
			t.Errorf("the build output lacks %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, secret, out)
	assertNoEncodedCanary(t, secret, out)
}

// The build policy controls the verification: a repository policy (permitted by the embedded default)
// turns it to warn, and the leaky build then passes with a located warning; under the organisation's
// image (which permits no loosening of verification) the same repository policy is refused.
func TestInBuildVerifyPolicy(t *testing.T) {
	secret := canary.Value(t)
	repoPolicy := "apiVersion: tightlip.dev/v1\nverification:\n  mode: warn\n"
	dir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(leakyToolDockerfile), "tool.sh": toolScript, ".tightlip.yaml": repoPolicy})
	if err := os.Chmod(filepath.Join(dir, "tool.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, tarball, metadata := buildctlSyntax(t, dir, secret)
	out := res.mustSucceed(t)
	assertNoCanary(t, secret, out+readIfExists(t, metadata), tarball)

	org := buildOrgImage(t)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("# syntax="+org+"\n"+leakyToolDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _, _ = buildctlSyntax(t, dir, secret)
	out = res.mustFail(t)
	if want := "verification.mode: warn (was on) loosens the policy"; !strings.Contains(out, want) {
		t.Errorf("the build output lacks %q:\n%s", want, out)
	}
	assertNoCanary(t, secret, out)
}
