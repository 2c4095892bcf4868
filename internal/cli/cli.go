// Package cli is the tightlip command: it runs the same analysis as the frontend, outside a build.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tightlip/tightlip/internal/version"
)

// Exit codes, shared by every command.
const (
	exitOK       = 0 // nothing at error level
	exitFindings = 1 // error-level findings
	exitUsage    = 2 // bad usage or unreadable input
)

const usage = `usage: tightlip <command> [arguments]

Commands:
  check [flags] PATH...   analyse Dockerfiles (files, or directories to search)
  verify [flags] IMAGE    look for credentials in a built image: config, history, every layer
  fix [-w] DOCKERFILE...  turn credential build arguments into secret mounts
  policy validate|show    check policy files; print the effective policy and where each setting comes from
  rules [ID]              list the rules, or print one rule's documentation
  version                 print the version

Run 'tightlip <command> -h' for a command's flags. check and verify print findings on stdout as
--format text (file:line:col: severity rule name: message, the masked source line, the fix; a
summary line on stderr), json or sarif (SARIF 2.1.0, for code scanning).

Exit status: 0 no error-level finding, 1 error-level findings, 2 usage or input error.
Documentation: https://github.com/tightlip/tightlip/blob/main/docs/cli.md
`

// command is one subcommand.
type command func(args []string, stdout, stderr io.Writer) int

// Main runs the tightlip command with args (without the program name) and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	commands := map[string]command{
		"check":   runCheck,
		"fix":     runFix,
		"policy":  runPolicy,
		"rules":   runRules,
		"verify":  runVerify,
		"version": runVersion,
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tightlip: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	return cmd(args[1:], stdout, stderr)
}

// newFlags returns a flag set that reports errors on stderr and never exits.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: tightlip %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns an exit code when the command must stop (help or a bad flag).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitUsage, true
	}
	return 0, false
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "", stderr)
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	fmt.Fprintln(stdout, "tightlip", version.String())
	return exitOK
}

// keyValues is a repeatable NAME=VALUE flag whose values may be secrets. The flag package quotes
// the argument of a Set that fails, so an argument with a value but no name is recorded in
// errEmptyName, for the command to report after parsing, instead of failing Set.
type keyValues struct {
	values       map[string]string
	errEmptyName error
}

func newKeyValues() *keyValues { return &keyValues{values: map[string]string{}} }

func (kv *keyValues) String() string { return "" }

func (kv *keyValues) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	switch {
	case !ok: // no value to reveal
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	case k == "":
		kv.errEmptyName = errors.New("want NAME=VALUE, got an empty name")
		return nil
	}
	kv.values[k] = v
	return nil
}

// buildContexts are named build contexts as `--build-context NAME=VALUE` takes them, kept in the form
// BuildKit gives the frontend: a value without a scheme is a local directory (local:NAME), a bake
// target (target:T) is another build's result (input:T).
type buildContexts map[string]string

func (bc buildContexts) String() string { return "" }

func (bc buildContexts) Set(s string) error {
	name, v, ok := strings.Cut(s, "=")
	if !ok || name == "" || v == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	switch {
	case strings.HasPrefix(v, "docker-image://"), strings.HasPrefix(v, "oci-layout://"),
		strings.HasPrefix(v, "git@"), strings.HasPrefix(v, "git://"),
		strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"):
	case strings.HasPrefix(v, "target:"):
		v = "input:" + strings.TrimPrefix(v, "target:")
	default:
		v = "local:" + name
	}
	bc[name] = v
	return nil
}
