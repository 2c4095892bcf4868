package verify

import (
	"archive/tar"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/tightlip/tightlip/internal/canary"
)

// leaky returns an image whose second layer ships an .npmrc with a token.
func leaky(t *testing.T) v1.Image {
	t.Helper()
	return build(t, v1.Config{Env: []string{"PATH=/bin"}},
		run("COPY busybox /bin/busybox # buildkit", file("bin/busybox", "\x7fELF\x00")),
		run("COPY .npmrc /app/.npmrc # buildkit", file("app/.npmrc", "//registry.npmjs.org/:_authToken="+canary.String(t, 36)+"\n")),
	)
}

// ociLayout writes an OCI layout with the image for two platforms and an attestation manifest.
func ociLayout(t *testing.T, img v1.Image) string {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, plat := range []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}} {
		im, err := mutate.ConfigFile(img, withPlatform(t, img, plat))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.AppendImage(im, layout.WithPlatform(plat)); err != nil {
			t.Fatal(err)
		}
	}
	att := build(t, v1.Config{}, run("", file("provenance.json", "{}")))
	if err := p.AppendImage(att, layout.WithPlatform(v1.Platform{OS: "unknown", Architecture: "unknown"}),
		layout.WithAnnotations(map[string]string{"vnd.docker.reference.type": "attestation-manifest"})); err != nil {
		t.Fatal(err)
	}
	return dir
}

func withPlatform(t *testing.T, img v1.Image, plat v1.Platform) *v1.ConfigFile {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = plat.OS, plat.Architecture
	return cf
}

// tarDir writes the files under dir into a tar file.
func tarDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "image.tar")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkSource verifies every image of the source and expects the leaky image's finding in each.
func checkSource(t *testing.T, src *Source, kind string, platforms ...string) {
	t.Helper()
	defer src.Close()
	if src.Kind != kind {
		t.Errorf("kind %q, want %q", src.Kind, kind)
	}
	var got []string
	for _, target := range src.Images {
		got = append(got, target.Platform)
		r, err := Image(t.Context(), target.Image, Options{NoLayerDigests: target.NoLayerDigests})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != 1 || r.Findings[0].Artifact() != "layer/1/app/.npmrc" || r.Findings[0].Check != LayerFile {
			t.Errorf("%s: findings:\n%s", target.Platform, describe(r))
		}
		if (r.Layers[1].Digest == v1.Hash{}) != target.NoLayerDigests {
			t.Errorf("%s: layer digest %v with NoLayerDigests %v", target.Platform, r.Layers[1].Digest, target.NoLayerDigests)
		}
	}
	if strings.Join(got, " ") != strings.Join(platforms, " ") {
		t.Errorf("images %q, want %q", got, platforms)
	}
}

func TestOpenLayout(t *testing.T) {
	dir := ociLayout(t, leaky(t))
	src, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, "oci-layout", "linux/amd64", "linux/arm64")
}

func TestOpenOCIArchive(t *testing.T) {
	file := tarDir(t, ociLayout(t, leaky(t)))
	src, err := Open(t.Context(), file)
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, "oci-archive", "linux/amd64", "linux/arm64")
}

func TestOpenDockerArchive(t *testing.T) {
	file := filepath.Join(t.TempDir(), "image.tar")
	tag, err := name.NewTag("example.net/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(file, tag, leaky(t)); err != nil {
		t.Fatal(err)
	}
	src, err := Open(t.Context(), file)
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, "docker-archive", "")
}

// A registry on 127.0.0.1 is reached over plain HTTP.
func TestOpenRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref, err := name.ParseReference(host + "/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, leaky(t)); err != nil {
		t.Fatal(err)
	}
	src, err := Open(t.Context(), host+"/app:1")
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, "registry", "")
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notTar := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notTar, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyTar := tarDir(t, t.TempDir())
	for ref, want := range map[string]string{
		filepath.Join(dir, "missing.tar"): "no such file",
		dir:                               "not an OCI layout",
		notTar:                            "not a tar archive",
		emptyTar:                          "neither an OCI layout nor a docker-save archive",
		"UPPER/case":                      "neither a file nor an image reference",
	} {
		_, err := Open(t.Context(), ref)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q) = %v, want an error with %q", ref, err, want)
		}
	}
}
