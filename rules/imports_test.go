package rules_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDaemonImports keeps the analysis packages daemon-free: they must not depend, even indirectly,
// on LLB, the gateway client, BuildKit's client or gRPC. Only the frontend package talks to BuildKit.
func TestNoDaemonImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	pkgs := []string{
		"github.com/tightlip/tightlip/model",
		"github.com/tightlip/tightlip/credential",
		"github.com/tightlip/tightlip/rules",
		"github.com/tightlip/tightlip/scan",
		"github.com/tightlip/tightlip/internal/inbuild", // the scanner inside a build reads files only
	}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{
		"github.com/moby/buildkit/client",
		"github.com/moby/buildkit/frontend/gateway",
		"github.com/moby/buildkit/frontend/dockerui",
		"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb",
		"github.com/moby/buildkit/solver",
		"google.golang.org/grpc",
		"github.com/containerd/containerd",
		"github.com/tightlip/tightlip/frontend",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("analysis packages depend on %s", dep)
			}
		}
	}
}
