package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdImage builds an image from a spec file and writes it as an OCI layout directory, an OCI layout
// tar file (OUT ending in .tar) or, with -docker, a docker-save tar file:
//
//	image [-docker] SPEC OUT
//
// The spec has one statement a line (blank lines and # comments are skipped):
//
//	env NAME=VALUE        an Env entry of the config
//	label KEY=VALUE       a label
//	history CREATED_BY    a history entry that made no layer
//	layer CREATED_BY      a new layer, made by that instruction
//	file PATH FROM        a file of the current layer, with the content of script file FROM
//	delete PATH           a whiteout for PATH in the current layer
func cmdImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! image")
	}
	docker := len(args) > 0 && args[0] == "-docker"
	if docker {
		args = args[1:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: image [-docker] SPEC OUT")
	}
	img, err := imageFromSpec(ts.ReadFile(args[0]), ts.ReadFile)
	ts.Check(err)
	out := ts.MkAbs(args[1])
	switch {
	case docker:
		tag, err := name.NewTag("example.net/app:1")
		ts.Check(err)
		ts.Check(tarball.WriteToFile(out, tag, img))
	case strings.HasSuffix(out, ".tar"):
		dir, err := os.MkdirTemp("", "layout-")
		ts.Check(err)
		defer os.RemoveAll(dir)
		ts.Check(writeLayout(dir, img))
		ts.Check(tarTree(dir, out))
	default:
		ts.Check(writeLayout(out, img))
	}
}

func writeLayout(dir string, img v1.Image) error {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
}

type specLayer struct {
	createdBy string
	tw        *tar.Writer
	buf       bytes.Buffer
}

// imageFromSpec builds the image a spec describes; readFile returns the content of a FROM file.
func imageFromSpec(spec string, readFile func(string) string) (v1.Image, error) {
	cfg := v1.Config{Labels: map[string]string{}}
	var history []v1.History
	var layers []*specLayer
	sc := bufio.NewScanner(strings.NewReader(spec))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		var cur *specLayer
		if len(layers) > 0 {
			cur = layers[len(layers)-1]
		}
		switch verb {
		case "env":
			cfg.Env = append(cfg.Env, rest)
		case "label":
			k, v, _ := strings.Cut(rest, "=")
			cfg.Labels[k] = v
		case "history":
			history = append(history, v1.History{CreatedBy: rest, EmptyLayer: true})
		case "layer":
			l := &specLayer{createdBy: rest}
			l.tw = tar.NewWriter(&l.buf)
			layers = append(layers, l)
			history = append(history, v1.History{CreatedBy: rest})
		case "file", "delete":
			if cur == nil {
				return nil, fmt.Errorf("%s before the first layer", verb)
			}
			p, from, _ := strings.Cut(rest, " ")
			var data []byte
			if verb == "file" {
				data = []byte(readFile(from))
			} else {
				dir, base := filepath.Split(p)
				p = dir + ".wh." + base
			}
			if err := cur.tw.WriteHeader(&tar.Header{Name: p, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
				return nil, err
			}
			if _, err := cur.tw.Write(data); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown statement %q", line)
		}
	}
	img := empty.Image
	for _, l := range layers {
		if err := l.tw.Close(); err != nil {
			return nil, err
		}
		data := l.buf.Bytes()
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		if err != nil {
			return nil, err
		}
		if img, err = mutate.Append(img, mutate.Addendum{Layer: layer}); err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config, cf.History = cfg, history
	return mutate.ConfigFile(img, cf)
}

// tarTree writes the files under dir into the tar file out.
func tarTree(dir, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
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
		f.Close()
		return err
	}
	if err := tw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
