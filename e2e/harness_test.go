//go:build e2e

// Package e2e drives real builds on a private buildkitd: the frontend in-process through BuildKit's Go
// client, and as an image through `# syntax=` with buildctl and buildx. The suite fails (never skips)
// when the daemon cannot start.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// h is the harness shared by every test of the package; TestMain sets it before any test runs.
var h *harness

type harness struct {
	root     string // repository root
	bin      string // tools built by hack/install-tools.sh
	state    string // daemon state, logs and sockets
	host     string // BUILDKIT_HOST
	registry string // loopback registry host:port
	image    string // the tightlip frontend image in the registry
	busybox  string // the base image in the registry
	version  string // the tightlip frontend image's version (its org.opencontainers.image.version)

	buildxOnce sync.Once
	buildxErr  error
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	var err error
	h, err = startHarness()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	code := m.Run()
	if err := h.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

func startHarness() (*harness, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return nil, err
	}
	cache := os.Getenv("TIGHTLIP_CACHE")
	if cache == "" {
		cache = filepath.Join(root, ".cache")
	}
	hs := &harness{root: root, bin: filepath.Join(cache, "bin")}
	for _, tool := range []string{"buildkitd", "buildctl", "registry", "docker-buildx"} {
		if _, err := os.Stat(filepath.Join(hs.bin, tool)); err != nil {
			return nil, fmt.Errorf("%s is missing (run hack/install-tools.sh or make tools): %w", tool, err)
		}
	}
	// Unix socket paths are limited to 108 bytes: keep the state dir short.
	hs.state, err = os.MkdirTemp("/tmp", "tightlip-e2e-")
	if err != nil {
		return nil, err
	}
	if out, err := hs.script("daemon.sh", "start", hs.state); err != nil {
		return nil, fmt.Errorf("cannot start buildkitd: %v\n%s", err, out)
	}
	if out, err := hs.script("build-images.sh", hs.state); err != nil {
		hs.stop()
		return nil, fmt.Errorf("cannot build the test images: %v\n%s", err, out)
	}
	vars, err := readEnvFile(filepath.Join(hs.state, "env"))
	if err != nil {
		hs.stop()
		return nil, err
	}
	hs.host, hs.registry = vars["BUILDKIT_HOST"], vars["TIGHTLIP_REGISTRY"]
	hs.image, hs.busybox, hs.version = vars["TIGHTLIP_IMAGE"], vars["TIGHTLIP_BUSYBOX"], vars["TIGHTLIP_VERSION"]
	return hs, nil
}

func (hs *harness) script(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(hs.root, "hack", name), args...)
	cmd.Env = append(os.Environ(), "TIGHTLIP_CACHE="+filepath.Dir(hs.bin))
	return cmd.CombinedOutput()
}

func (hs *harness) stop() error {
	out, err := hs.script("daemon.sh", "stop", hs.state)
	if err != nil {
		return fmt.Errorf("stopping buildkitd: %v\n%s", err, out)
	}
	if os.Getenv("TIGHTLIP_KEEP_STATE") == "" {
		return os.RemoveAll(hs.state)
	}
	return nil
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			vars[k] = v
		}
	}
	return vars, sc.Err()
}

// result is the outcome of one client command.
type result struct {
	out string // stdout and stderr, interleaved
	err error
}

func (r result) mustSucceed(t *testing.T) string {
	t.Helper()
	if r.err != nil {
		t.Fatalf("command failed: %v\n%s", r.err, r.out)
	}
	return r.out
}

func (r result) mustFail(t *testing.T) string {
	t.Helper()
	if r.err == nil {
		t.Fatalf("command succeeded, want failure\n%s", r.out)
	}
	return r.out
}

// run runs a client command with the harness's environment plus env.
func (hs *harness) run(t *testing.T, env []string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(append(os.Environ(), "BUILDKIT_HOST="+hs.host), env...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return result{out: buf.String(), err: err}
}

// buildctl runs buildctl against the harness's daemon.
func (hs *harness) buildctl(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return hs.run(t, env, filepath.Join(hs.bin, "buildctl"), args...)
}

// writeDir creates a directory holding files (name → content) and returns its path.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withSyntax returns the Dockerfile with a first line that loads the tightlip image.
func (hs *harness) withSyntax(dockerfile string) string {
	return "# syntax=" + hs.image + "\n" + dockerfile
}
