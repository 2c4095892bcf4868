package verify

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Source is an opened image reference: the images to verify (one per platform of an index).
type Source struct {
	// Kind is "oci-layout" (a directory), "oci-archive" (an OCI layout in a tar file), "docker-archive"
	// (`docker save`) or "registry".
	Kind   string
	Images []Target

	close func() error
}

// Target is one image of a Source.
type Target struct {
	// Platform is the image's platform in an index ("linux/amd64"); "" when it is not known.
	Platform string
	// Digest is the image manifest's digest; zero when it is not known.
	Digest v1.Hash
	Image  v1.Image
	// NoLayerDigests is what Options.NoLayerDigests should be for the image.
	NoLayerDigests bool
}

// Close releases the files the Source holds open.
func (s *Source) Close() error {
	if s.close == nil {
		return nil
	}
	return s.close()
}

// Open opens ref: an OCI layout directory, a tar file holding an OCI layout or made by `docker save`,
// or a registry reference (plain HTTP is used for localhost and 127.0.0.1 registries; credentials come
// from the Docker config). Attestation manifests in an index are skipped.
func Open(ctx context.Context, ref string) (*Source, error) {
	st, err := os.Stat(ref)
	switch {
	case err == nil && st.IsDir():
		if _, err := os.Stat(filepath.Join(ref, "index.json")); err != nil {
			return nil, fmt.Errorf("%s: not an OCI layout (no index.json)", ref)
		}
		idx, err := layout.ImageIndexFromPath(ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		return fromIndex(&Source{Kind: "oci-layout"}, idx)
	case err == nil:
		return openArchive(ref)
	case !errors.Is(err, os.ErrNotExist) || looksLikePath(ref):
		return nil, err
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, fmt.Errorf("%s: neither a file nor an image reference: %w", ref, err)
	}
	desc, err := remote.Get(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain))
	if err != nil {
		return nil, fmt.Errorf("pulling %s: %w", ref, err)
	}
	src := &Source{Kind: "registry"}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, fmt.Errorf("pulling %s: %w", ref, err)
		}
		return fromIndex(src, idx)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, fmt.Errorf("pulling %s: %w", ref, err)
	}
	src.Images = []Target{{Digest: desc.Digest, Image: img}}
	return src, nil
}

// looksLikePath reports whether a name that is not a file was meant as one (and not as an image
// reference), so that the error says the file is missing.
func looksLikePath(ref string) bool {
	for _, prefix := range []string{".", "/", "~"} {
		if strings.HasPrefix(ref, prefix) {
			return true
		}
	}
	for _, suffix := range []string{".tar", ".tgz", ".tar.gz", ".oci"} {
		if strings.HasSuffix(ref, suffix) {
			return true
		}
	}
	return false
}

// index is what fromIndex reads of an image index.
type index interface {
	IndexManifest() (*v1.IndexManifest, error)
	Image(v1.Hash) (v1.Image, error)
	ImageIndex(v1.Hash) (v1.ImageIndex, error)
}

// fromIndex adds the images of an index (and of the indexes it holds) to src.
func fromIndex(src *Source, idx index) (*Source, error) {
	seen := map[v1.Hash]bool{}
	var walk func(idx index) error
	walk = func(idx index) error {
		im, err := idx.IndexManifest()
		if err != nil {
			return err
		}
		for _, d := range im.Manifests {
			if seen[d.Digest] || d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" ||
				d.Platform != nil && d.Platform.OS == "unknown" {
				continue
			}
			seen[d.Digest] = true
			switch {
			case d.MediaType.IsIndex():
				child, err := idx.ImageIndex(d.Digest)
				if err != nil {
					return err
				}
				if err := walk(child); err != nil {
					return err
				}
			case d.MediaType.IsImage():
				img, err := idx.Image(d.Digest)
				if err != nil {
					return err
				}
				t := Target{Digest: d.Digest, Image: img}
				if d.Platform != nil {
					t.Platform = d.Platform.String()
				}
				src.Images = append(src.Images, t)
			}
		}
		return nil
	}
	if err := walk(idx); err != nil {
		src.Close()
		return nil, err
	}
	if len(src.Images) == 0 {
		src.Close()
		return nil, errors.New("no image in the index")
	}
	return src, nil
}

// openArchive opens a tar file: an OCI layout (index.json) read in place, or a `docker save` archive.
func openArchive(file string) (*Source, error) {
	a, err := readArchive(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if _, ok := a.entries["index.json"]; ok {
		raw, err := a.read("index.json")
		if err != nil {
			a.f.Close()
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		src, err := fromIndex(&Source{Kind: "oci-archive", close: a.f.Close}, &archiveIndex{a: a, raw: raw, mediaType: types.OCIImageIndex})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return src, nil
	}
	a.f.Close()
	if _, ok := a.entries["manifest.json"]; !ok {
		return nil, fmt.Errorf("%s: neither an OCI layout nor a docker-save archive (no index.json, no manifest.json)", file)
	}
	opener := func() (io.ReadCloser, error) { return os.Open(file) }
	m, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	src := &Source{Kind: "docker-archive"}
	for i, d := range m {
		var tag *name.Tag
		if len(m) > 1 {
			if len(d.RepoTags) == 0 {
				return nil, fmt.Errorf("%s: image %d of %d has no tag to select it by", file, i+1, len(m))
			}
			t, err := name.NewTag(d.RepoTags[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			tag = &t
		}
		img, err := tarball.Image(opener, tag)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		src.Images = append(src.Images, Target{Image: img, NoLayerDigests: true})
	}
	return src, nil
}

// archive is a tar file whose members are read in place.
type archive struct {
	f       *os.File
	entries map[string]archiveEntry
}

type archiveEntry struct {
	offset, size int64
}

// readArchive indexes the regular files of a tar file by their cleaned names.
func readArchive(file string) (*archive, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	a := &archive{f: f, entries: map[string]archiveEntry{}}
	tr := tar.NewReader(f) // *os.File seeks past file data, and tar reads headers block by block
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("not a tar archive: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			f.Close()
			return nil, err
		}
		a.entries[strings.TrimPrefix(path.Clean("/"+hdr.Name), "/")] = archiveEntry{offset: off, size: hdr.Size}
	}
	return a, nil
}

func (a *archive) section(name string) (*io.SectionReader, error) {
	e, ok := a.entries[name]
	if !ok {
		return nil, fmt.Errorf("%s is missing", name)
	}
	return io.NewSectionReader(a.f, e.offset, e.size), nil
}

func (a *archive) read(name string) ([]byte, error) {
	r, err := a.section(name)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// archiveIndex is an image index in an OCI archive.
type archiveIndex struct {
	a         *archive
	raw       []byte
	mediaType types.MediaType
}

var _ v1.ImageIndex = (*archiveIndex)(nil)

func (i *archiveIndex) MediaType() (types.MediaType, error) { return i.mediaType, nil }
func (i *archiveIndex) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(i.raw))
	return h, err
}
func (i *archiveIndex) Size() (int64, error)         { return int64(len(i.raw)), nil }
func (i *archiveIndex) RawManifest() ([]byte, error) { return i.raw, nil }
func (i *archiveIndex) IndexManifest() (*v1.IndexManifest, error) {
	return v1.ParseIndexManifest(bytes.NewReader(i.raw))
}

func (i *archiveIndex) descriptor(h v1.Hash) (v1.Descriptor, error) {
	im, err := i.IndexManifest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	for _, d := range im.Manifests {
		if d.Digest == h {
			return d, nil
		}
	}
	return v1.Descriptor{}, fmt.Errorf("%s is not in the index", h)
}

func (i *archiveIndex) Image(h v1.Hash) (v1.Image, error) {
	d, err := i.descriptor(h)
	if err != nil {
		return nil, err
	}
	raw, err := i.a.read(blobName(h))
	if err != nil {
		return nil, err
	}
	return partial.CompressedToImage(&archiveImage{a: i.a, raw: raw, mediaType: d.MediaType})
}

func (i *archiveIndex) ImageIndex(h v1.Hash) (v1.ImageIndex, error) {
	d, err := i.descriptor(h)
	if err != nil {
		return nil, err
	}
	raw, err := i.a.read(blobName(h))
	if err != nil {
		return nil, err
	}
	return &archiveIndex{a: i.a, raw: raw, mediaType: d.MediaType}, nil
}

// archiveImage is an image manifest in an OCI archive (partial.CompressedImageCore).
type archiveImage struct {
	a         *archive
	raw       []byte
	mediaType types.MediaType
}

func (im *archiveImage) MediaType() (types.MediaType, error) { return im.mediaType, nil }
func (im *archiveImage) RawManifest() ([]byte, error)        { return im.raw, nil }
func (im *archiveImage) RawConfigFile() ([]byte, error) {
	m, err := partial.Manifest(im)
	if err != nil {
		return nil, err
	}
	return im.a.read(blobName(m.Config.Digest))
}

func (im *archiveImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	m, err := partial.Manifest(im)
	if err != nil {
		return nil, err
	}
	if h == m.Config.Digest {
		return &archiveBlob{a: im.a, desc: m.Config}, nil
	}
	for _, d := range m.Layers {
		if d.Digest == h {
			return &archiveBlob{a: im.a, desc: d}, nil
		}
	}
	return nil, fmt.Errorf("layer %s is not in the image", h)
}

// archiveBlob is a blob in an OCI archive (partial.CompressedLayer).
type archiveBlob struct {
	a    *archive
	desc v1.Descriptor
}

func (b *archiveBlob) Digest() (v1.Hash, error)            { return b.desc.Digest, nil }
func (b *archiveBlob) Size() (int64, error)                { return b.desc.Size, nil }
func (b *archiveBlob) MediaType() (types.MediaType, error) { return b.desc.MediaType, nil }
func (b *archiveBlob) Compressed() (io.ReadCloser, error) {
	r, err := b.a.section(blobName(b.desc.Digest))
	if err != nil {
		return nil, err
	}
	return io.NopCloser(r), nil
}
