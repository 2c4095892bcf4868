package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tightlip/tightlip/policy"
)

// envOrgPolicy names the organisation policy file when --org-policy is not given.
const envOrgPolicy = "TIGHTLIP_ORG_POLICY"

// policyOptions are the flags that choose the policy layers of the command line.
type policyOptions struct {
	org, cli *string
	noRepo   *bool
}

func policyFlags(fs *flag.FlagSet) *policyOptions {
	return &policyOptions{
		org:    fs.String("org-policy", "", "organisation policy `FILE` (default: $"+envOrgPolicy+", else "+policy.OrgPath+" when it exists)"),
		cli:    fs.String("policy", "", "policy `FILE` merged last, over the organisation's and the repository's ("+policy.RepoFile+" next to each Dockerfile)"),
		noRepo: fs.Bool("no-repo-policy", false, "ignore the repository policy files ("+policy.RepoFile+") next to the Dockerfiles"),
	}
}

// load merges the layers for the Dockerfile at path (its repository policy sits next to it); with path
// "" only the organisation's and the command line's.
func (o *policyOptions) load(path string) (*policy.Policy, error) {
	layers := []*policy.Layer{policy.DefaultLayer()}
	org, explicit := *o.org, true
	if org == "" {
		org = os.Getenv(envOrgPolicy)
	}
	if org == "" {
		org, explicit = policy.OrgPath, false
	}
	add := func(k policy.Kind, file string, required bool) error {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) && !required {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the %s policy: %w", k, err)
		}
		l, err := policy.Parse(k, file, data)
		if err != nil {
			return err
		}
		layers = append(layers, l)
		return nil
	}
	if err := add(policy.Organisation, org, explicit); err != nil {
		return nil, err
	}
	if path != "" && !*o.noRepo {
		if err := add(policy.Repository, filepath.Join(filepath.Dir(path), policy.RepoFile), false); err != nil {
			return nil, err
		}
	}
	if *o.cli != "" {
		if err := add(policy.CommandLine, *o.cli, true); err != nil {
			return nil, err
		}
	}
	return policy.Merge(layers...)
}

// read reads the Dockerfile at path and merges the policy that applies to it.
func (o *policyOptions) read(path string) ([]byte, *policy.Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	pol, err := o.load(path)
	return data, pol, err
}

// runPolicy is `tightlip policy validate|show|schema|default`. validate exits 1 for an invalid
// policy, 2 for one it cannot read; show exits 2 when the layers do not merge.
func runPolicy(args []string, stdout, stderr io.Writer) int {
	const synopsis = "validate FILE... | show [flags] [DOCKERFILE|DIR] | schema | default"
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: tightlip policy %s\n", synopsis)
		return exitUsage
	}
	switch args[0] {
	case "validate":
		fs := newFlags("policy validate", "FILE...", stderr)
		files, code, stop := parseArgs(fs, args[1:])
		if stop {
			return code
		}
		if len(files) == 0 {
			fs.Usage()
			return exitUsage
		}
		code = exitOK
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				fmt.Fprintf(stderr, "tightlip: %v\n", err)
				code = exitUsage
				continue
			}
			// A file is checked as an organisation layer would be: alone over the default.
			l, err := policy.Parse(policy.Organisation, file, data)
			if err == nil {
				_, err = policy.Merge(policy.DefaultLayer(), l)
			}
			if err != nil {
				fmt.Fprintf(stderr, "%v\n", err)
				if code == exitOK {
					code = exitFindings
				}
				continue
			}
			fmt.Fprintf(stdout, "%s: valid\n", file)
		}
		return code
	case "show":
		fs := newFlags("policy show", "[flags] [DOCKERFILE|DIR]", stderr)
		pf := policyFlags(fs)
		rest, code, stop := parseArgs(fs, args[1:])
		if stop {
			return code
		}
		if len(rest) > 1 {
			fs.Usage()
			return exitUsage
		}
		target := ""
		if len(rest) == 1 {
			target = rest[0]
			if st, err := os.Stat(target); err == nil && st.IsDir() {
				target = filepath.Join(target, "Dockerfile")
			}
		}
		p, err := pf.load(target)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			return exitUsage
		}
		if err := p.Show(stdout, time.Now()); err != nil {
			fmt.Fprintf(stderr, "tightlip: %v\n", err)
			return exitUsage
		}
		return exitOK
	case "schema":
		stdout.Write(policy.Schema())
		return exitOK
	case "default":
		stdout.Write(policy.DefaultYAML())
		return exitOK
	}
	fmt.Fprintf(stderr, "tightlip policy: unknown subcommand %q\nusage: tightlip policy %s\n", args[0], synopsis)
	return exitUsage
}
