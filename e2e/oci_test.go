//go:build e2e

package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// ociImage is one platform's image from an OCI layout tarball.
type ociImage struct {
	Platform string
	Config   map[string]any
	DiffIDs  []string
	Layers   []string // blob paths of the layers, in order
}

// readOCI returns every image in the OCI layout tarball at path (one per platform).
func readOCI(t *testing.T, path string) (blobs map[string][]byte, images []ociImage) {
	t.Helper()
	blobs, err := readTar(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	var index struct {
		Manifests []descriptor `json:"manifests"`
	}
	if err := json.Unmarshal(blobs["index.json"], &index); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	for _, d := range index.Manifests {
		imgs, err := resolve(blobs, d)
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, imgs...)
	}
	return blobs, images
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Platform  *struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
		Variant      string `json:"variant"`
	} `json:"platform"`
	Annotations map[string]string `json:"annotations"`
}

func blobPath(dgst string) string { return "blobs/" + strings.Replace(dgst, ":", "/", 1) }

func resolve(blobs map[string][]byte, d descriptor) ([]ociImage, error) {
	data, ok := blobs[blobPath(d.Digest)]
	if !ok {
		return nil, fmt.Errorf("blob %s is missing", d.Digest)
	}
	switch d.MediaType {
	case "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json":
		var idx struct {
			Manifests []descriptor `json:"manifests"`
		}
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, err
		}
		var out []ociImage
		for _, m := range idx.Manifests {
			if m.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
				continue
			}
			imgs, err := resolve(blobs, m)
			if err != nil {
				return nil, err
			}
			out = append(out, imgs...)
		}
		return out, nil
	case "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json":
		var m struct {
			Config descriptor   `json:"config"`
			Layers []descriptor `json:"layers"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		var cfg map[string]any
		if err := json.Unmarshal(blobs[blobPath(m.Config.Digest)], &cfg); err != nil {
			return nil, fmt.Errorf("config %s: %w", m.Config.Digest, err)
		}
		img := ociImage{Config: cfg}
		if d.Platform != nil {
			img.Platform = d.Platform.OS + "/" + d.Platform.Architecture
			if d.Platform.Variant != "" {
				img.Platform += "/" + d.Platform.Variant
			}
		}
		if rootfs, ok := cfg["rootfs"].(map[string]any); ok {
			for _, id := range rootfs["diff_ids"].([]any) {
				img.DiffIDs = append(img.DiffIDs, id.(string))
			}
		}
		for _, l := range m.Layers {
			img.Layers = append(img.Layers, blobPath(l.Digest))
		}
		return []ociImage{img}, nil
	}
	return nil, fmt.Errorf("unexpected media type %q", d.MediaType)
}

func readTar(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[strings.TrimPrefix(hdr.Name, "./")] = data
	}
}

// label returns an image label.
func (img ociImage) label(key string) string {
	cfg, _ := img.Config["config"].(map[string]any)
	labels, _ := cfg["Labels"].(map[string]any)
	v, _ := labels[key].(string)
	return v
}

// layerFiles returns the regular files of a layer blob (gzip or plain tar): path → content.
func layerFiles(t *testing.T, blob []byte) map[string]string {
	t.Helper()
	var r io.Reader = bytes.NewReader(blob)
	if len(blob) > 2 && blob[0] == 0x1f && blob[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	files := map[string]string{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			files[strings.TrimPrefix(hdr.Name, "./")] = string(data)
		}
	}
}
