// Package inbuild is the scanner that runs inside a build: the frontend mounts the layers of the image
// it built, the image config and the secrets the build used into an exec of its own image, which runs
// `tightlip-frontend scan REQUEST` (Main). The scanner searches every file of every layer and the config
// for the secrets' values, raw and encoded, and writes a Report. Neither the report nor anything the
// scanner prints holds a value: hits name the secret, the file and the encoding.
//
// The frontend builds the Request and reads the Report; both sides are the same binary, and Protocol
// guards against a scanner image of another version all the same.
package inbuild

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/tightlip/tightlip/scan"
)

// Protocol is the version of Request and Report.
const Protocol = 1

// Request tells the scanner what to read. Paths are inside the scanner's container.
type Request struct {
	Protocol int `json:"protocol"`
	// Secrets are the secrets the build uses; one that the client did not supply has no file.
	Secrets []SecretFile `json:"secrets"`
	// Images are the exported images, one per platform.
	Images []Image `json:"images"`
	// MinLength is the shortest value searched for; shorter ones are reported as skipped.
	MinLength int `json:"minLength"`
	// Budget bounds the time spent searching; 0 means no bound.
	Budget time.Duration `json:"budget"`
	// Report is where the report is written.
	Report string `json:"report"`
}

// SecretFile is a secret mounted as a file.
type SecretFile struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

// Image is one platform's image: its config and the layers this build made, in order.
type Image struct {
	Platform string   `json:"platform"`
	Config   string   `json:"config"`
	Layers   []string `json:"layers"`
}

// Report is what the scanner found. It never holds a secret's value.
type Report struct {
	Protocol int `json:"protocol"`
	// Secrets says for each secret of the request whether it was searched for.
	Secrets []SecretStatus `json:"secrets"`
	Hits    []Hit          `json:"hits"`
	// Layers, Files and Bytes count what was read (the configs not included).
	Layers int   `json:"layers"`
	Files  int64 `json:"files"`
	Bytes  int64 `json:"bytes"`
	// Incomplete says why the search stopped early (the time budget); empty when it read everything.
	Incomplete string        `json:"incomplete,omitempty"`
	Elapsed    time.Duration `json:"elapsed"`
}

// Secret statuses.
const (
	Searched    = "searched"
	NotSupplied = "not supplied" // the client did not pass the secret
	TooShort    = "too short"    // shorter than MinLength
)

// SecretStatus is one secret of the request.
type SecretStatus struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Length is the value's length in bytes (0 when not supplied).
	Length int `json:"length"`
}

// Hit is a secret's value found in the image.
type Hit struct {
	Secret string `json:"secret"`
	// Image indexes Request.Images; Layer indexes its Layers, or is -1 for the config.
	Image int `json:"image"`
	Layer int `json:"layer"`
	// Path is the file's absolute path in the image, or for the config the JSON field
	// ("history[3].created_by", "config.Env[1]").
	Path     string `json:"path"`
	Encoding string `json:"encoding"`
}

// Searched returns the secrets that were searched for.
func (r *Report) Searched() int {
	n := 0
	for _, s := range r.Secrets {
		if s.Status == Searched {
			n++
		}
	}
	return n
}

// Main runs the scanner on the request file named by args[0] and returns the exit code: 0 when the
// report was written, whatever it holds, 2 when the scan could not run.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: tightlip-frontend scan REQUEST.json")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "scan: %v\n", err)
		return 2
	}
	var req Request
	if err := json.Unmarshal(data, &req); err != nil {
		fmt.Fprintf(stderr, "scan: reading %s: %v\n", args[0], err)
		return 2
	}
	rep, err := Run(context.Background(), &req)
	if err != nil {
		fmt.Fprintf(stderr, "scan: %v\n", err)
		return 2
	}
	out, err := json.Marshal(rep)
	if err == nil {
		err = os.WriteFile(req.Report, out, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "scan: writing the report: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, rep.Summary())
	return 0
}

// Summary is the report as one line without values.
func (r *Report) Summary() string {
	s := fmt.Sprintf("searched for %d secrets in %d layers (%d files, %s) and %s in %s",
		r.Searched(), r.Layers, r.Files, Size(r.Bytes), plural(len(r.Hits), "hit"), r.Elapsed.Round(time.Millisecond))
	if r.Incomplete != "" {
		s += "; incomplete: " + r.Incomplete
	}
	return s
}

// Size formats a byte count.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// errBudget stops a search that ran out of time.
var errBudget = errors.New("time budget exceeded")

// Run searches the request's images for the request's secrets.
func Run(ctx context.Context, req *Request) (*Report, error) {
	if req.Protocol != Protocol {
		return nil, fmt.Errorf("request protocol %d, this scanner speaks %d", req.Protocol, Protocol)
	}
	start := time.Now()
	rep := &Report{Protocol: Protocol, Hits: []Hit{}}
	secrets, err := readSecrets(req, rep)
	if err != nil {
		return nil, err
	}
	sc, skipped := scan.New(secrets, scan.Options{MinLength: req.MinLength})
	for _, sk := range skipped {
		for i := range rep.Secrets {
			if rep.Secrets[i].ID == sk.ID && rep.Secrets[i].Status == Searched {
				rep.Secrets[i].Status = TooShort
			}
		}
	}
	if sc == nil || sc.Empty() {
		rep.Elapsed = time.Since(start)
		return rep, nil
	}
	if req.Budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, req.Budget, errBudget)
		defer cancel()
	}
	s := &searcher{ctx: ctx, sc: sc, rep: rep, seen: map[Hit]bool{}}
	err = s.images(req.Images)
	rep.Elapsed = time.Since(start)
	switch {
	case errors.Is(err, errBudget) || errors.Is(context.Cause(ctx), errBudget):
		rep.Incomplete = fmt.Sprintf("the time budget of %s ran out after %d of %d layers", req.Budget, rep.Layers, countLayers(req.Images))
	case err != nil:
		return nil, err
	}
	return rep, nil
}

func countLayers(images []Image) int {
	n := 0
	for _, im := range images {
		n += len(im.Layers)
	}
	return n
}

// readSecrets reads the mounted secrets, recording each one's status. A secret file's trailing line
// breaks are not part of the value (tools write the value without them).
func readSecrets(req *Request, rep *Report) ([]scan.Secret, error) {
	var out []scan.Secret
	for _, sf := range req.Secrets {
		data, err := os.ReadFile(sf.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			rep.Secrets = append(rep.Secrets, SecretStatus{ID: sf.ID, Status: NotSupplied})
			continue
		case err != nil:
			return nil, fmt.Errorf("reading secret %s: %w", sf.ID, err)
		}
		data = bytes.TrimRight(data, "\r\n")
		rep.Secrets = append(rep.Secrets, SecretStatus{ID: sf.ID, Status: Searched, Length: len(data)})
		out = append(out, scan.Secret{ID: sf.ID, Value: data})
	}
	return out, nil
}

type searcher struct {
	ctx  context.Context
	sc   *scan.Scanner
	rep  *Report
	seen map[Hit]bool
}

func (s *searcher) hit(h Hit) {
	key := h
	key.Encoding = ""
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	s.rep.Hits = append(s.rep.Hits, h)
}

func (s *searcher) images(images []Image) error {
	for i, im := range images {
		if err := s.config(i, im.Config); err != nil {
			return err
		}
	}
	for i, im := range images {
		for j, dir := range im.Layers {
			if err := s.layer(i, j, dir); err != nil {
				return err
			}
			s.rep.Layers++
		}
	}
	return nil
}

// config searches the image config: every string in it, named by its JSON path, and then the file as
// written (which holds the values JSON-escaped).
func (s *searcher) config(image int, path string) error {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the image config: %w", err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("reading the image config: %w", err)
	}
	found := len(s.rep.Hits)
	walkStrings(doc, "", func(p, v string) {
		for _, m := range s.sc.Scan([]byte(v)) {
			s.hit(Hit{Secret: m.ID, Image: image, Layer: -1, Path: p, Encoding: m.Encoding})
		}
	})
	if len(s.rep.Hits) == found {
		for _, m := range s.sc.Scan(data) {
			s.hit(Hit{Secret: m.ID, Image: image, Layer: -1, Path: "config", Encoding: m.Encoding})
		}
	}
	return nil
}

// walkStrings calls fn for every string in a decoded JSON document, with its path; map keys are
// visited in order and are searched too (a label's name could hold a value).
func walkStrings(v any, path string, fn func(path, s string)) {
	switch v := v.(type) {
	case string:
		fn(path, v)
	case []any:
		for i, e := range v {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			fn(p, k)
			walkStrings(v[k], p, fn)
		}
	}
}

// layer searches every regular file under dir, the mount of one layer. Symbolic links are not
// followed: a link's target is a path, searched as such.
func (s *searcher) layer(image, layer int, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading layer %d: %w", layer, err)
		}
		if err := s.ctx.Err(); err != nil {
			return context.Cause(s.ctx)
		}
		rel, _ := filepath.Rel(dir, p)
		name := "/" + filepath.ToSlash(rel)
		if rel == "." {
			name = "/"
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return fmt.Errorf("reading layer %d: %w", layer, err)
			}
			for _, m := range s.sc.Scan([]byte(target)) {
				s.hit(Hit{Secret: m.ID, Image: image, Layer: layer, Path: name, Encoding: m.Encoding})
			}
		case d.Type().IsRegular():
			if err := s.file(image, layer, p, name); err != nil {
				return err
			}
		}
		// The name itself may carry a value (a tool that names a cache file after a token).
		if rel != "." {
			for _, m := range s.sc.Scan([]byte(d.Name())) {
				s.hit(Hit{Secret: m.ID, Image: image, Layer: layer, Path: name, Encoding: m.Encoding})
			}
		}
		return nil
	})
}

func (s *searcher) file(image, layer int, p, name string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("reading layer %d: %w", layer, err)
	}
	defer f.Close()
	matches, n, err := s.sc.Reader(&ctxReader{ctx: s.ctx, r: f})
	s.rep.Files++
	s.rep.Bytes += n
	if err != nil {
		if cause := context.Cause(s.ctx); cause != nil {
			return cause
		}
		return fmt.Errorf("reading layer %d: %s: %w", layer, name, err)
	}
	for _, m := range matches {
		s.hit(Hit{Secret: m.ID, Image: image, Layer: layer, Path: name, Encoding: m.Encoding})
	}
	return nil
}

// ctxReader stops a long read when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.Read(p)
}
