package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/rules"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "[flags] PATH...", stderr)
	contextDir := fs.String("context", "", "build context `DIR` (after its .dockerignore) for COPY/ADD of directories and globs")
	buildArgs := keyValues{}
	fs.Var(buildArgs, "build-arg", "build argument `NAME=VALUE` as passed to the build (repeatable); values are never printed")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	files, err := dockerfiles(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "tightlip: %v\n", err)
		return exitUsage
	}
	opts := analysis.Options{BuildArgs: buildArgs}
	if *contextDir != "" {
		if opts.Context, err = rules.NewFSContext(os.DirFS(*contextDir), ""); err != nil {
			fmt.Fprintf(stderr, "tightlip: build context %s: %v\n", *contextDir, err)
			return exitUsage
		}
	}

	code := exitOK
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "tightlip: %v\n", err)
			code = exitUsage
			continue
		}
		res, err := analysis.Analyze(name, data, opts)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = exitUsage
			continue
		}
		for _, fd := range res.Findings {
			fmt.Fprintf(stdout, "%s:%d:%d: %s %s %s: %s\n", name, fd.Range.Start.Line, fd.Range.Start.Character+1,
				fd.Severity, fd.Rule.ID, fd.Rule.Name, fd.Message)
		}
		if len(res.Errors()) > 0 && code == exitOK {
			code = exitFindings
		}
	}
	return code
}

// dockerfiles expands the paths: files are taken as they are, directories are searched for
// Dockerfile, *.Dockerfile and Dockerfile.* (hidden and vendored directories are skipped).
func dockerfiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor") {
					return filepath.SkipDir
				}
				return nil
			}
			if isDockerfileName(name) && d.Type().IsRegular() {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no Dockerfile found", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, errors.New("no Dockerfile to check")
	}
	return out, nil
}

func isDockerfileName(name string) bool {
	return name == "Dockerfile" || name == "dockerfile" ||
		strings.HasSuffix(name, ".Dockerfile") || strings.HasSuffix(name, ".dockerfile") ||
		(strings.HasPrefix(name, "Dockerfile.") && !strings.HasSuffix(name, ".dockerignore"))
}
