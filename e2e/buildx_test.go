//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const buildxBuilder = "tightlip-e2e"

// buildx runs `docker buildx ARGS` (or standalone buildx when there is no docker CLI) with a
// remote-driver builder on the harness's daemon and a private DOCKER_CONFIG.
func (hs *harness) buildx(t *testing.T, env []string, args ...string) result {
	t.Helper()
	hs.buildxOnce.Do(func() { hs.buildxErr = hs.setupBuildx() })
	if hs.buildxErr != nil {
		t.Fatalf("setting up buildx: %v", hs.buildxErr)
	}
	name, argv := hs.buildxCommand(args)
	env = append(env, hs.buildxEnv()...)
	return hs.run(t, env, name, argv...)
}

func (hs *harness) buildxEnv() []string {
	return []string{
		"DOCKER_CONFIG=" + filepath.Join(hs.state, "docker"),
		"BUILDX_BUILDER=" + buildxBuilder,
	}
}

func (hs *harness) buildxCommand(args []string) (string, []string) {
	if docker, err := exec.LookPath("docker"); err == nil {
		return docker, append([]string{"buildx"}, args...)
	}
	return filepath.Join(hs.bin, "docker-buildx"), args
}

func (hs *harness) setupBuildx() error {
	plugins := filepath.Join(hs.state, "docker", "cli-plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(hs.bin, "docker-buildx"), filepath.Join(plugins, "docker-buildx")); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"create", "--name", buildxBuilder, "--driver", "remote", hs.host},
		{"inspect", "--bootstrap", buildxBuilder},
	} {
		name, argv := hs.buildxCommand(args)
		cmd := exec.Command(name, argv...)
		cmd.Env = append(os.Environ(), hs.buildxEnv()...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("buildx %v: %v\n%s", args, err, out)
		}
	}
	return nil
}
