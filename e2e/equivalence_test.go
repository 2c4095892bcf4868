//go:build e2e

package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/tightlip/tightlip/frontend"
	"github.com/tightlip/tightlip/internal/canary"
)

// TestEquivalence builds every testdata/equivalence case with the daemon's built-in Dockerfile frontend
// and through the tightlip image (`# syntax=`), and requires the same layers (diff IDs) and the same
// image config, ignoring creation times and tightlip's own label. The built-in build runs first, so an
// identical conversion makes the tightlip build a cache hit; a different one changes the layers.
//
// A case is a directory with a Dockerfile, its context files, and optionally buildctl.args: extra
// buildctl arguments, one per line, where $DIR is the case directory and $SSHKEY a private key file.
func TestEquivalence(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(h.root, "testdata", "equivalence", "*", "Dockerfile"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no equivalence cases found: %v", err)
	}
	sshKey := writeSSHKey(t)
	for _, df := range cases {
		dir := filepath.Dir(df)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			args := caseArgs(t, dir, sshKey)
			secret := canary.Value(t)
			env := []string{"TOK=" + secret}

			stockTar := filepath.Join(t.TempDir(), "stock.tar")
			stockOut := h.buildctl(t, env, append([]string{"build", "--frontend", "dockerfile.v0",
				"--local", "context=" + dir, "--local", "dockerfile=" + dir,
				"--output", "type=oci,dest=" + stockTar}, args...)...).mustSucceed(t)

			data, err := os.ReadFile(df)
			if err != nil {
				t.Fatal(err)
			}
			dfDir := writeDir(t, map[string]string{"Dockerfile": h.withSyntax(string(data))})
			tlTar := filepath.Join(t.TempDir(), "tightlip.tar")
			tlOut := h.buildctl(t, env, append([]string{"build", "--frontend", "dockerfile.v0",
				"--local", "context=" + dir, "--local", "dockerfile=" + dfDir,
				"--output", "type=oci,dest=" + tlTar}, args...)...).mustSucceed(t)

			_, stock := readOCI(t, stockTar)
			_, tl := readOCI(t, tlTar)
			if len(stock) != len(tl) {
				t.Fatalf("stock built %d images, tightlip %d", len(stock), len(tl))
			}
			for i := range stock {
				if stock[i].Platform != tl[i].Platform {
					t.Errorf("image %d: platform %q vs %q", i, stock[i].Platform, tl[i].Platform)
				}
				if !reflect.DeepEqual(stock[i].DiffIDs, tl[i].DiffIDs) {
					t.Errorf("image %d (%s): layers differ\nstock:    %v\ntightlip: %v", i, stock[i].Platform, stock[i].DiffIDs, tl[i].DiffIDs)
				}
				if tl[i].label(frontend.LabelVersion) == "" {
					t.Errorf("image %d: no %s label: not built by tightlip", i, frontend.LabelVersion)
				}
				a, b := normalizeConfig(stock[i].Config), normalizeConfig(tl[i].Config)
				if !reflect.DeepEqual(a, b) {
					ja, _ := json.MarshalIndent(a, "", "  ")
					jb, _ := json.MarshalIndent(b, "", "  ")
					t.Errorf("image %d (%s): config differs\nstock:\n%s\ntightlip:\n%s", i, stock[i].Platform, ja, jb)
				}
			}
			assertNoCanary(t, secret, stockOut+tlOut, stockTar, tlTar)
		})
	}
}

func caseArgs(t *testing.T, dir, sshKey string) []string {
	t.Helper()
	args := []string{"--opt", "context:busybox=docker-image://" + h.busybox}
	data, err := os.ReadFile(filepath.Join(dir, "buildctl.args"))
	if os.IsNotExist(err) {
		return args
	}
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("$DIR", dir, "$SSHKEY", sshKey, "$BUSYBOX", h.busybox)
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			args = append(args, r.Replace(line))
		}
	}
	return args
}

// normalizeConfig drops what legitimately differs between two builds of one Dockerfile.
func normalizeConfig(cfg map[string]any) map[string]any {
	data, _ := json.Marshal(cfg)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	delete(out, "created")
	if hist, ok := out["history"].([]any); ok {
		for _, e := range hist {
			delete(e.(map[string]any), "created")
		}
	}
	if c, ok := out["config"].(map[string]any); ok {
		if labels, ok := c["Labels"].(map[string]any); ok {
			delete(labels, frontend.LabelVersion)
			if len(labels) == 0 {
				delete(c, "Labels")
			}
		}
	}
	return out
}

func writeSSHKey(t *testing.T) string {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
