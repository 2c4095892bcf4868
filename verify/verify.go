// Package verify reads a built container image and reports every credential it ships: in its config,
// in its history (build arguments BuildKit recorded), and in every layer, files that a later layer
// deletes included, since a deleted file is still in the layer that added it.
//
// It reads images through go-containerregistry (see Open) and never talks to a daemon, so it runs on
// any OCI layout, tarball or registry, and its tests build their images in memory. Layers are
// streamed: memory stays bounded whatever their size.
package verify

import (
	"context"
	"fmt"
	"strconv"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/tightlip/tightlip/rules"
	"github.com/tightlip/tightlip/scan"
)

// Options configure Image.
type Options struct {
	// Secrets are values known to be credentials, searched for raw and encoded.
	Secrets []Secret
	// Progress, when set, is called after each layer has been read.
	Progress func(Progress)
	// NoLayerDigests skips the layers' manifest digests (findings then name the diff ID only). Set it
	// for images whose manifest would have to be computed by compressing every layer (a docker-save
	// tarball with uncompressed layers).
	NoLayerDigests bool
}

// Progress reports one layer read.
type Progress struct {
	Layer      *Layer
	Layers     int   // number of layers of the image
	ImageSize  int64 // compressed size of all layers, 0 when not known
	Bytes      int64 // uncompressed bytes of this layer
	Files      int   // regular files in this layer
	TotalBytes int64 // uncompressed bytes read so far
}

// Layer is one layer of the image.
type Layer struct {
	// Index is the layer's position in the manifest's layers (and the config's rootfs.diff_ids): 0 is
	// the base layer.
	Index int
	// Digest is the (compressed) digest from the manifest; zero when not known.
	Digest v1.Hash
	// DiffID is the digest of the uncompressed layer, from the config.
	DiffID v1.Hash
	// Size is the compressed size from the manifest; 0 when not known.
	Size int64
	// History is the index of the history entry that created the layer, -1 when the history does not
	// say (its non-empty entries do not match the layers one to one).
	History int
	// CreatedBy is that entry's created_by, masked.
	CreatedBy string
}

// Name names the layer in messages: "layer 2".
func (l *Layer) Name() string { return "layer " + strconv.Itoa(l.Index) }

// Where says which part of the image a finding is in.
type Where int

const (
	// InConfig: the image config (Env, Labels, …).
	InConfig Where = iota + 1
	// InHistory: the config's history.
	InHistory
	// InLayer: a file of a layer.
	InLayer
)

// Finding is one credential in the image. No field holds a credential's value.
type Finding struct {
	Check    *Check
	Severity rules.Severity
	Message  string
	Where    Where
	// Field is the config field of a config finding: Env, Labels, Entrypoint, Cmd, OnBuild,
	// Healthcheck; "" for the config as a whole.
	Field string
	// Entry is the 0-based index of the entry the finding is in: of the field's list (Labels sorted by
	// key), or of the history.
	Entry int
	// Layer is the layer of a layer finding, or the layer a history entry created (nil for entries that
	// created none).
	Layer *Layer
	// Path is the absolute path of the file in the layer.
	Path string
	// Line and Column (1-based, bytes) locate the credential in a text file; 0 when not known.
	Line, Column int
	// EndColumn is the column after the credential, on Line; 0 when not known.
	EndColumn int
	// RemovedIn is the later layer that deletes or replaces the file; the file is still shipped.
	RemovedIn *Layer
	// Snippet is the masked text the finding points into: the config entry ("NAME=****"), the history
	// entry's created_by.
	Snippet string
}

// Artifact names the part of the image the finding is in, as a relative path: "config/Env",
// "config", "history", "layer/2/app/.npmrc".
func (f *Finding) Artifact() string {
	switch f.Where {
	case InConfig:
		if f.Field == "" {
			return "config"
		}
		return "config/" + f.Field
	case InHistory:
		return "history"
	}
	return "layer/" + strconv.Itoa(f.Layer.Index) + f.Path
}

// Position returns the finding's line and column in its artifact (see Artifact): an entry's number
// (1-based) for config and history findings, the credential's place for text files; 0 when unknown.
func (f *Finding) Position() (line, column, endColumn int) {
	switch f.Where {
	case InConfig:
		if f.Field == "" {
			return 0, 0, 0
		}
		return f.Entry + 1, 0, 0
	case InHistory:
		return f.Entry + 1, 0, 0
	}
	return f.Line, f.Column, f.EndColumn
}

// Report is what Image found.
type Report struct {
	// Layers are the image's layers, in order.
	Layers []*Layer
	// Files is the number of regular files read; Bytes the uncompressed bytes of all layers.
	Files int
	Bytes int64
	// Findings are in the order config, history, layers (by layer, then by position in the layer).
	Findings []Finding
}

// Errors returns the number of error-level findings.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == rules.Error {
			n++
		}
	}
	return n
}

// Image reads the image and reports the credentials it ships.
func Image(ctx context.Context, img v1.Image, opts Options) (*Report, error) {
	sc, err := newScanner(opts.Secrets)
	if err != nil {
		return nil, err
	}
	v := &verifier{opts: opts, secrets: opts.Secrets, scanner: sc, report: &Report{}, inConfig: map[int]bool{}, pending: map[string][]int{},
		at: map[place]int{}, notes: map[int]*note{}}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the image config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the image's layers: %w", err)
	}
	if err := v.describeLayers(img, cf, layers); err != nil {
		return nil, err
	}
	v.config(cf)
	v.history(cf)
	if raw, err := img.RawConfigFile(); err == nil {
		v.rawConfig(raw)
	}
	if err := v.layers(ctx, layers); err != nil {
		return nil, err
	}
	v.finish()
	return v.report, nil
}

// verifier holds the state of one Image call.
type verifier struct {
	opts    Options
	secrets []Secret
	scanner *scan.Scanner
	report  *Report

	imageSize int64
	// byHistory maps a history entry to the layer it created.
	byHistory map[int]*Layer
	// pending are the indices of layer findings not yet known to be removed, by path.
	pending map[string][]int
	// inConfig are the secrets found in the config or the history.
	inConfig map[int]bool
	// at is the first finding at each place; notes are added to findings' messages by finish.
	at    map[place]int
	notes map[int]*note

	// removed says how a later layer removed a layer finding's file, by finding index.
	removed map[int]removal

	buf     []byte // the read buffer, reused for every file
	overlap int    // how much of buf is searched again with the next chunk
}

func (v *verifier) add(f Finding) int {
	if f.Severity == 0 {
		f.Severity = f.Check.Severity
	}
	v.report.Findings = append(v.report.Findings, f)
	i := len(v.report.Findings) - 1
	if _, ok := v.at[placeOf(&f)]; !ok {
		v.at[placeOf(&f)] = i
	}
	return i
}

// place is where a finding is: a config entry, a history entry, a file of a layer.
type place struct {
	where Where
	field string
	entry int
	layer int
	path  string
}

func placeOf(f *Finding) place {
	p := place{where: f.Where, field: f.Field, entry: f.Entry}
	if f.Where == InLayer {
		p = place{where: InLayer, layer: f.Layer.Index, path: f.Path}
	}
	return p
}

// note is what finish adds to a finding's message.
type note struct {
	secrets []string // known secrets whose value the finding's credential is
	hint    string   // how to fix it
}

func (v *verifier) note(i int) *note {
	n, ok := v.notes[i]
	if !ok {
		n = &note{}
		v.notes[i] = n
	}
	return n
}

// describeLayers fills in the report's layers: digests, diff IDs and the history entries that made
// them.
func (v *verifier) describeLayers(img v1.Image, cf *v1.ConfigFile, layers []v1.Layer) error {
	var descs []v1.Descriptor
	if !v.opts.NoLayerDigests {
		m, err := img.Manifest()
		if err != nil {
			return fmt.Errorf("reading the image manifest: %w", err)
		}
		if len(m.Layers) == len(layers) {
			descs = m.Layers
		}
	}
	// Non-empty history entries correspond to the layers in order, when their numbers agree.
	var made []int
	for i, h := range cf.History {
		if !h.EmptyLayer {
			made = append(made, i)
		}
	}
	if len(made) != len(layers) {
		made = nil
	}
	v.byHistory = map[int]*Layer{}
	for i := range layers {
		l := &Layer{Index: i, History: -1}
		if i < len(cf.RootFS.DiffIDs) {
			l.DiffID = cf.RootFS.DiffIDs[i]
		}
		if descs != nil {
			l.Digest, l.Size = descs[i].Digest, descs[i].Size
			v.imageSize += descs[i].Size
		}
		if made != nil {
			l.History = made[i]
			l.CreatedBy = v.mask(cf.History[made[i]].CreatedBy)
			v.byHistory[made[i]] = l
		}
		v.report.Layers = append(v.report.Layers, l)
	}
	return nil
}
