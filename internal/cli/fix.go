package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/rewrite"
	"github.com/tightlip/tightlip/rules"
)

func runFix(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("fix", "[-w] DOCKERFILE...", stderr)
	write := fs.Bool("w", false, "write the result to each file instead of printing it")
	pf := policyFlags(fs)
	paths, code, stop := parseArgs(fs, args)
	if stop {
		return code
	}
	if len(paths) == 0 {
		fs.Usage()
		return exitUsage
	}
	code = exitOK
	for _, name := range paths {
		data, pol, err := pf.read(name)
		if err != nil {
			fmt.Fprintf(stderr, "tightlip: %v\n", err)
			code = exitUsage
			continue
		}
		// fix makes the change whatever the policy says of rewriting inside builds; the policy's
		// names and rewrite.required shape it.
		fixPolicy := *pol
		fixPolicy.Rewrite, fixPolicy.Rules, fixPolicy.Exceptions = true, nil, nil
		res, err := analysis.Analyze(name, data, analysis.Options{Rules: []*rules.Rule{rules.TL103}, Policy: &fixPolicy})
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = exitUsage
			continue
		}
		fixed, secrets, err := analysis.SecretMounts(data, res.Findings, rewrite.Source)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			code = exitUsage
			continue
		}
		for _, s := range secrets {
			fmt.Fprintf(stderr, "%s: build arg %s is now a secret mount: build with --secret id=%s,env=%s\n", name, s, s, s)
		}
		for _, fd := range res.Errors() {
			fmt.Fprintf(stderr, "%s:%d:%d: not fixed: %s\n", name, fd.Range.Start.Line, fd.Range.Start.Character+1, fd.Message)
		}
		switch {
		case !*write:
			if fs.NArg() > 1 {
				fmt.Fprintf(stdout, "==> %s <==\n", name)
			}
			stdout.Write(fixed)
		case !bytes.Equal(fixed, data):
			if err := writeFile(name, fixed); err != nil {
				fmt.Fprintf(stderr, "tightlip: %v\n", err)
				code = exitUsage
			}
		}
	}
	return code
}

// writeFile replaces a file's content atomically (a temporary file renamed over it), keeping its mode.
func writeFile(name string, data []byte) error {
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tightlip-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
