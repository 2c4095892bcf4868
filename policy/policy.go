// Package policy reads, checks and merges tightlip's build policy.
//
// A policy is a stack of YAML layers (docs/policy.md), each checked against the JSON Schema in
// schema.json and merged in this order:
//
//	embedded default  <  organisation (in the frontend image)  <  repository (next to the Dockerfile)  <  command line
//
// A later layer may always tighten what the layers before it set, and may loosen only what the
// previous layer's permissions allow. A layer that does not parse, breaks the schema, or loosens
// without permission is an error that names the file and line: a build never falls back to defaults.
//
// The merged Policy is data: package analysis applies it to the rules and their findings, the
// frontend to the build. Nothing here talks to a daemon.
package policy

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// APIVersion is the policy format this version of tightlip reads.
const APIVersion = "tightlip.dev/v1"

// OrgPath is where the frontend image holds the organisation's policy: an organisation publishes
// `FROM tightlip` + `COPY policy.yaml /etc/tightlip/policy.yaml`.
const OrgPath = "/etc/tightlip/policy.yaml"

// RepoFile is the name of a repository's policy file, read from the directory of the Dockerfile.
const RepoFile = ".tightlip.yaml"

//go:embed default.yaml
var defaultYAML []byte

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of a policy layer.
func Schema() []byte { return append([]byte(nil), schemaJSON...) }

// DefaultYAML returns the embedded default policy.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Kind says which layer a file is.
type Kind int

const (
	// Default is the policy embedded in tightlip.
	Default Kind = iota
	// Organisation is the file baked into the organisation's frontend image (OrgPath).
	Organisation
	// Repository is the file next to the Dockerfile (RepoFile).
	Repository
	// CommandLine is the file given to the CLI with --policy.
	CommandLine
)

func (k Kind) String() string {
	switch k {
	case Default:
		return "default"
	case Organisation:
		return "organisation"
	case Repository:
		return "repository"
	case CommandLine:
		return "command line"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Severity is a rule's severity as a policy sets it.
type Severity string

const (
	SeverityOff     Severity = "off"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// rank orders severities from loosest to strictest.
func (s Severity) rank() int {
	switch s {
	case SeverityOff:
		return 0
	case SeverityWarning:
		return 1
	case SeverityError:
		return 2
	}
	return -1
}

// Mode is how the verification of the built image treats a hit.
type Mode string

const (
	VerifyOff  Mode = "off"
	VerifyWarn Mode = "warn"
	VerifyOn   Mode = "on"
)

func (m Mode) rank() int {
	switch m {
	case VerifyOff:
		return 0
	case VerifyWarn:
		return 1
	case VerifyOn:
		return 2
	}
	return -1
}

// Origin says where a setting comes from: a layer and a line in its file.
type Origin struct {
	Kind Kind
	Path string // the file as reported ("(embedded)" for the default)
	Line int
}

func (o Origin) String() string {
	if o.Kind == Default {
		if o.Line == 0 {
			return "embedded default"
		}
		return fmt.Sprintf("embedded default, line %d", o.Line)
	}
	if o.Line == 0 {
		return fmt.Sprintf("%s (%s)", o.Path, o.Kind)
	}
	return fmt.Sprintf("%s:%d (%s)", o.Path, o.Line, o.Kind)
}

// Policy is the merged policy: what a build or a check applies. The zero value is not useful; use
// Merge (DefaultPolicy for the embedded default alone).
type Policy struct {
	// Rules holds the severity of the rules the policy sets; a rule not listed keeps its own.
	Rules map[string]Severity
	// Names are globs of ARG/ENV names that are credentials besides the built-in ones; AllowedNames
	// of names that never are.
	Names, AllowedNames []Glob
	// Values are extra credential value formats; AllowedValues match values never reported.
	Values        []ValuePattern
	AllowedValues []*Regexp
	// Files are .dockerignore-style patterns of extra credential files; AllowedFiles of files that
	// never are.
	Files, AllowedFiles []string
	// StoreCommands are extra credential-storing commands.
	StoreCommands []StoreCommand
	// Rewrite turns credential build arguments only RUN steps read into secret mounts;
	// RewriteRequired makes those mounts required.
	Rewrite, RewriteRequired bool
	// BaseImages restricts the images a Dockerfile may use.
	BaseImages BaseImages
	// CheckSkip lets `# check=skip=` and BUILDKIT_DOCKERFILE_CHECK turn tightlip rules off; Syntax
	// lets `# syntax=` and BUILDKIT_SYNTAX hand the build to another frontend.
	CheckSkip, Syntax bool
	// Verification controls the search of the built image for the build's secret values.
	Verification Verification
	// Exceptions are findings that do not count.
	Exceptions []Exception
	// Layers are the layers merged, in order.
	Layers []Origin
	// Origins maps each setting (as Show prints it) to the layer that set it last.
	Origins map[string]Origin
}

// Glob is a pattern in which '*' matches any run of characters and '?' one character; names are
// compared case-insensitively.
type Glob struct {
	Text   string
	re     *regexp.Regexp
	Origin Origin
}

// Match reports whether s matches the glob.
func (g Glob) Match(s string) bool { return g.re.MatchString(s) }

func compileGlob(text string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for _, r := range text {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Regexp is a compiled RE2 pattern with its text and origin.
type Regexp struct {
	*regexp.Regexp
	Origin Origin
}

// ValuePattern is an extra credential value format.
type ValuePattern struct {
	ID          string
	Description string
	Pattern     *regexp.Regexp
	Origin      Origin
}

// StoreCommand is an extra command that stores a credential in a file.
type StoreCommand struct {
	// Words are the command name and the subcommand words: ["acme", "login"].
	Words []string
	// File is where it stores the credential: absolute, or under "~/".
	File string
	// ValuedOptions take a value.
	ValuedOptions []string
	Origin        Origin
}

// BaseImages restricts the images a Dockerfile may use.
type BaseImages struct {
	// Allowed are normalised name prefixes; nil allows any image.
	Allowed []string
	// RequireDigest requires every image reference to be pinned by digest.
	RequireDigest bool
}

// Verification controls the search of the built image for the build's secret values.
type Verification struct {
	Mode      Mode
	Budget    time.Duration
	MinLength int
}

// Exception is a finding the policy lets through, for a reason and until a date.
type Exception struct {
	Rule string
	// Selectors; the empty ones match anything.
	File        *regexp.Regexp
	Stage       string
	Line        int
	Instruction *regexp.Regexp
	Subject     *regexp.Regexp
	// Selectors are the selectors as written, in a fixed order.
	Selectors []Selector
	Reason    string
	Expires   time.Time // the first instant the exception no longer applies
	// ExpiresText is the date as written.
	ExpiresText string
	Origin      Origin
}

// Selector is one selector of an exception as written.
type Selector struct{ Key, Value string }

// String describes the exception: "TL120 file=Dockerfile subject=.npmrc".
func (e *Exception) String() string {
	var b strings.Builder
	b.WriteString(e.Rule)
	for _, s := range e.Selectors {
		fmt.Fprintf(&b, " %s=%q", s.Key, s.Value)
	}
	return b.String()
}

// Expired reports whether the exception no longer applies at now.
func (e *Exception) Expired(now time.Time) bool { return !now.Before(e.Expires) }
