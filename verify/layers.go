package verify

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/rules"
)

const (
	// chunkSize is how much of a file is searched at once; files are streamed through one buffer of
	// chunkSize plus an overlap that is searched again with the next chunk, so that a credential cut
	// by a chunk boundary is found whole.
	chunkSize  = 1 << 20
	minOverlap = 8 << 10
	// headMax is how much of a credential file its kind's content check reads.
	headMax = chunkSize
	// sniffLen is how much of a file decides whether it is text: binary files hold a NUL byte there.
	sniffLen = 8 << 10

	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	opaqueWhiteout = ".wh..wh..opq"
)

// removal is how a later layer removes a file: it deletes it (a whiteout) or replaces it.
type removal struct {
	layer *Layer
	how   string // "deleted", "replaced"
}

// layers reads every layer in order.
func (v *verifier) layers(ctx context.Context, layers []v1.Layer) error {
	v.overlap = max(minOverlap, v.scanner.MaxLen())
	v.buf = make([]byte, 0, chunkSize+v.overlap)
	v.removed = map[int]removal{}
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return err
		}
		lay := v.report.Layers[i]
		files, n, err := v.layer(ctx, lay, l)
		if err != nil {
			return fmt.Errorf("reading %s (%s): %w", lay.Name(), layerDigest(lay), err)
		}
		v.report.Files += files
		v.report.Bytes += n
		if v.opts.Progress != nil {
			v.opts.Progress(Progress{Layer: lay, Layers: len(layers), ImageSize: v.imageSize, Bytes: n, Files: files, TotalBytes: v.report.Bytes})
		}
	}
	return nil
}

func layerDigest(l *Layer) string {
	if l.Digest != (v1.Hash{}) {
		return l.Digest.String()
	}
	return l.DiffID.String()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// layer streams one layer's tar: whiteouts remove earlier findings' files, regular files are searched.
func (v *verifier) layer(ctx context.Context, lay *Layer, l v1.Layer) (files int, n int64, err error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return 0, 0, err
	}
	defer rc.Close()
	cr := &countingReader{r: rc}
	tr := tar.NewReader(cr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// Read what follows the end-of-archive blocks, so that the count is the layer's size.
			_, _ = io.Copy(io.Discard, cr)
			return files, cr.n, nil
		}
		if err != nil {
			return files, cr.n, err
		}
		p := path.Clean("/" + hdr.Name)
		if p == "/" {
			continue
		}
		dir, base := path.Split(p)
		switch {
		case base == opaqueWhiteout:
			v.remove(lay, strings.TrimSuffix(dir, "/"), true)
			continue
		case strings.HasPrefix(base, whiteoutMeta):
			continue // other AUFS metadata
		case strings.HasPrefix(base, whiteoutPrefix):
			v.remove(lay, dir+base[len(whiteoutPrefix):], false)
			continue
		}
		v.replace(lay, p)
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		files++
		if files%256 == 0 {
			if err := ctx.Err(); err != nil {
				return files, cr.n, err
			}
		}
		if err := v.file(lay, p, tr); err != nil {
			return files, cr.n, fmt.Errorf("%s: %w", p, err)
		}
	}
}

// remove marks the findings of earlier layers in p (or under it) as deleted by lay; with opaque, only
// what is under the directory p.
func (v *verifier) remove(lay *Layer, p string, opaque bool) {
	for key, idx := range v.pending {
		under := p == "" || p == "/" || strings.HasPrefix(key, p+"/")
		if !under && (opaque || key != p) {
			continue
		}
		v.pending[key] = v.markRemoved(idx, lay, "deleted")
		if len(v.pending[key]) == 0 {
			delete(v.pending, key)
		}
	}
}

// replace marks the findings of earlier layers at exactly p as replaced by lay's entry.
func (v *verifier) replace(lay *Layer, p string) {
	if idx, ok := v.pending[p]; ok {
		v.pending[p] = v.markRemoved(idx, lay, "replaced")
		if len(v.pending[p]) == 0 {
			delete(v.pending, p)
		}
	}
}

// markRemoved marks the findings (indices) of layers below lay as removed, and returns the others.
func (v *verifier) markRemoved(idx []int, lay *Layer, how string) []int {
	var keep []int
	for _, i := range idx {
		f := &v.report.Findings[i]
		if f.Layer.Index >= lay.Index {
			keep = append(keep, i)
			continue
		}
		f.RemovedIn = lay
		v.removed[i] = removal{layer: lay, how: how}
	}
	return keep
}

// hit is the first credential of one pattern in a file.
type hit struct {
	match             credential.Match
	line, col, endCol int
	more              int
}

// knownHit is the first place of one secret in a file.
type knownHit struct {
	match     knownMatch
	line, col int
}

// file searches one regular file of a layer, streamed from r.
func (v *verifier) file(lay *Layer, p string, r io.Reader) error {
	kind := credential.ClassifyFile(p)
	var (
		buf    = v.buf[:0]
		base   int64 // file offset of buf[0]
		lines  int   // newlines before buf[0]
		lastNL = int64(-1)
		text   bool
		head   []byte
		hits   []*hit
		byID   = map[string]*hit{}
		known  []knownHit
		found  = map[int]bool{}
	)
	position := func(s int) (line, col int) {
		line = lines + bytes.Count(buf[:s], []byte{'\n'}) + 1
		if j := bytes.LastIndexByte(buf[:s], '\n'); j >= 0 {
			return line, s - j
		}
		return line, int(base + int64(s) - lastNL)
	}
	for first := true; ; first = false {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := false
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			eof = true
		case err != nil:
			return err
		}
		if first {
			text = bytes.IndexByte(buf[:min(len(buf), sniffLen)], 0) < 0
			if kind != nil && kind.ReadsContent() {
				head = bytes.Clone(buf[:min(len(buf), headMax)])
			}
		}
		// Credentials that start in the overlap are left to the next chunk, which holds them whole.
		limit := len(buf)
		if !eof {
			limit -= v.overlap
		}
		if text {
			for _, m := range credential.Find(string(buf)) {
				if m.Start >= limit {
					continue
				}
				if h := byID[m.Pattern.ID]; h != nil {
					h.more++
					continue
				}
				h := &hit{match: m}
				h.line, h.col = position(m.Start)
				if bytes.IndexByte(buf[m.Start:m.End], '\n') < 0 {
					h.endCol = h.col + m.End - m.Start
				}
				byID[m.Pattern.ID] = h
				hits = append(hits, h)
			}
		}
		for _, m := range v.knownIn(buf, limit) {
			if found[m.secret] {
				continue
			}
			found[m.secret] = true
			k := knownHit{match: m}
			if text {
				k.line, k.col = position(m.offset)
			}
			known = append(known, k)
		}
		if eof {
			break
		}
		kept := buf[:limit]
		lines += bytes.Count(kept, []byte{'\n'})
		if j := bytes.LastIndexByte(kept, '\n'); j >= 0 {
			lastNL = base + int64(j)
		}
		copy(buf, buf[limit:])
		buf = buf[:len(buf)-limit]
		base += int64(limit)
	}

	at := Finding{Where: InLayer, Layer: lay, Path: p}
	fileFound := false
	if kind != nil {
		verdict := kind.Verdict(head, true)
		if len(hits) > 0 {
			verdict = credential.Credential
		}
		if verdict != credential.NotCredential {
			f := at
			f.Check = LayerFile
			f.Message = p + " holds " + kind.Desc
			if verdict == credential.MaybeCredential {
				f.Severity = rules.Warning
				f.Message = p + " may hold " + kind.Desc
			}
			if len(hits) > 0 {
				f.Line, f.Column, f.EndColumn = hits[0].line, hits[0].col, hits[0].endCol
			}
			v.addLayer(f)
			fileFound = true
		}
	}
	if !fileFound {
		for _, h := range hits {
			f := at
			f.Check = LayerValue
			f.Line, f.Column, f.EndColumn = h.line, h.col, h.endCol
			f.Message = fmt.Sprintf("%s holds a %s %s", p, h.match.Pattern.Name, h.match.Masked)
			if h.more > 0 {
				f.Message += fmt.Sprintf(" (and %d more)", h.more)
			}
			v.addLayer(f)
		}
	}
	for _, k := range known {
		f := at
		f.Line, f.Column = k.line, k.col
		n := len(v.report.Findings)
		v.knownAt(f, k.match, p)
		if len(v.report.Findings) > n {
			v.pending[p] = append(v.pending[p], n)
		}
	}
	return nil
}

// addLayer adds a layer finding and remembers it under its path, for later whiteouts.
func (v *verifier) addLayer(f Finding) {
	i := v.add(f)
	v.pending[f.Path] = append(v.pending[f.Path], i)
}

// finish completes the findings' messages: which known secrets they are, how to fix them, where a
// file is shipped and what removed it.
func (v *verifier) finish() {
	for i := range v.report.Findings {
		f := &v.report.Findings[i]
		if n := v.notes[i]; n != nil {
			if len(n.secrets) > 0 {
				f.Message += " (the value of secret " + strings.Join(n.secrets, "; of secret ") + ")"
			}
			f.Message += n.hint
		}
		if f.Where != InLayer {
			continue
		}
		if r, ok := v.removed[i]; ok {
			if f.Check == LayerFile || f.Check == LayerValue {
				f.Check = LayerDeleted
			}
			f.Message += fmt.Sprintf(": %s in %s but still shipped in %s", r.how, r.layer.Name(), f.Layer.Name())
		} else {
			f.Message += ", in " + f.Layer.Name()
		}
	}
}
