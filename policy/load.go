package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/tightlip/tightlip/rules"
)

// Error is one thing wrong with a policy file, at a line (0 when the whole file is concerned).
type Error struct {
	Path         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// Errors are the problems of one or more policy files, in file and line order.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Layer is one parsed and checked policy file.
type Layer struct {
	Origin Origin
	doc    document
	lines  map[string]posn // setting path ("rules.TL120", "exceptions.0.reason") → position
}

type posn struct{ line, col int }

// document is a layer as written.
type document struct {
	APIVersion  string              `yaml:"apiVersion"`
	Rules       map[string]Severity `yaml:"rules"`
	Credentials *struct {
		Names  *extraAllowed `yaml:"names"`
		Values *struct {
			Extra   []valueDoc `yaml:"extra"`
			Allowed []string   `yaml:"allowed"`
		} `yaml:"values"`
	} `yaml:"credentials"`
	Files         *extraAllowed `yaml:"files"`
	StoreCommands []storeDoc    `yaml:"storeCommands"`
	Rewrite       *struct {
		Enabled  *bool `yaml:"enabled"`
		Required *bool `yaml:"required"`
	} `yaml:"rewrite"`
	BaseImages *struct {
		Allowed       []string `yaml:"allowed"`
		RequireDigest *bool    `yaml:"requireDigest"`
	} `yaml:"baseImages"`
	Directives *struct {
		CheckSkip *bool `yaml:"checkSkip"`
		Syntax    *bool `yaml:"syntax"`
	} `yaml:"directives"`
	Verification *struct {
		Mode      *Mode   `yaml:"mode"`
		Budget    *string `yaml:"budget"`
		MinLength *int    `yaml:"minLength"`
	} `yaml:"verification"`
	Exceptions  []exceptionDoc `yaml:"exceptions"`
	Permissions *permissions   `yaml:"permissions"`
}

type extraAllowed struct {
	Extra   []string `yaml:"extra"`
	Allowed []string `yaml:"allowed"`
}

type valueDoc struct {
	ID          string `yaml:"id"`
	Pattern     string `yaml:"pattern"`
	Description string `yaml:"description"`
}

type storeDoc struct {
	Command       string   `yaml:"command"`
	File          string   `yaml:"file"`
	ValuedOptions []string `yaml:"valuedOptions"`
}

type exceptionDoc struct {
	Rule        string `yaml:"rule"`
	File        string `yaml:"file"`
	Stage       string `yaml:"stage"`
	Line        int    `yaml:"line"`
	Instruction string `yaml:"instruction"`
	Subject     string `yaml:"subject"`
	Reason      string `yaml:"reason"`
	Expires     string `yaml:"expires"`
}

// permissions are what the layers after a layer may loosen.
type permissions struct {
	Severity      []string `yaml:"severity"`
	Exceptions    []string `yaml:"exceptions"`
	AllowedNames  bool     `yaml:"allowedNames"`
	AllowedValues bool     `yaml:"allowedValues"`
	AllowedFiles  bool     `yaml:"allowedFiles"`
	Rewrite       bool     `yaml:"rewrite"`
	BaseImages    bool     `yaml:"baseImages"`
	Directives    bool     `yaml:"directives"`
	Verification  bool     `yaml:"verification"`
}

// Parse reads one policy file of the given kind; path names it in errors and reports. The returned
// error, if any, is an Errors listing every problem found with its line.
func Parse(k Kind, path string, data []byte) (*Layer, error) {
	l := &Layer{Origin: Origin{Kind: k, Path: path}, lines: map[string]posn{}}
	fail := func(line, col int, format string, args ...any) error {
		return Errors{{Path: path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, err)
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, fail(0, 0, "empty policy: a policy file starts with apiVersion: %s", APIVersion)
	}
	if bytes.Contains(data, []byte("\n---")) || bytes.HasPrefix(data, []byte("---\n---")) {
		var n int
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var d yaml.Node
			if dec.Decode(&d) != nil {
				break
			}
			n++
		}
		if n > 1 {
			return nil, fail(0, 0, "a policy file holds one YAML document, not %d", n)
		}
	}
	doc := root.Content[0]
	value, err := toJSON(doc, "", l.lines)
	if err != nil {
		return nil, err.(*Error).in(path)
	}
	var errs Errors
	if err := validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fail(0, 0, "checking against the schema: %v", err)
		}
		for _, e := range schemaErrors(ve) {
			p := l.pos(e.path)
			errs = append(errs, &Error{Path: path, Line: p.line, Column: p.col, Msg: e.msg})
		}
		return nil, sortErrors(errs)
	}
	if err := doc.Decode(&l.doc); err != nil {
		return nil, yamlError(path, err)
	}
	errs = l.check()
	if len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	return l, nil
}

func sortErrors(es Errors) Errors {
	slices.SortStableFunc(es, func(a, b *Error) int { return a.Line - b.Line })
	return es
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError turns a YAML library error into Errors with the line it names.
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	var lines []string
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var es Errors
	for _, s := range lines {
		e := &Error{Path: path, Msg: s}
		if m := yamlLine.FindStringSubmatch(s); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		} else if rest, ok := strings.CutPrefix(s, "line "); ok {
			if n, msg, ok := strings.Cut(rest, ": "); ok {
				e.Line, _ = strconv.Atoi(n)
				e.Msg = msg
			}
		}
		es = append(es, e)
	}
	return es
}

func (e *Error) in(path string) Errors {
	e.Path = path
	return Errors{e}
}

// toJSON converts a YAML node into the value encoding/json would decode from the same data, recording
// the position of every setting in lines. Scalars keep their YAML type (numbers, booleans, null);
// everything else, timestamps included, is a string.
func toJSON(n *yaml.Node, path string, lines map[string]posn) (any, error) {
	lines[path] = posn{n.Line, n.Column}
	switch n.Kind {
	case yaml.AliasNode:
		return toJSON(n.Alias, path, lines)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &Error{Line: k.Line, Column: k.Column, Msg: "a key must be a plain string"}
			}
			if k.Tag == "!!merge" {
				return nil, &Error{Line: k.Line, Column: k.Column, Msg: "merge keys (<<) are not supported"}
			}
			if _, dup := m[k.Value]; dup {
				return nil, &Error{Line: k.Line, Column: k.Column, Msg: fmt.Sprintf("%q is set twice", k.Value)}
			}
			sub := join(path, k.Value)
			val, err := toJSON(v, sub, lines)
			if err != nil {
				return nil, err
			}
			lines[sub+"#key"] = posn{k.Line, k.Column}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := []any{}
		for i, c := range n.Content {
			val, err := toJSON(c, join(path, strconv.Itoa(i)), lines)
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, &Error{Line: n.Line, Column: n.Column, Msg: err.Error()}
			}
			return b, nil
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, &Error{Line: n.Line, Column: n.Column, Msg: err.Error()}
			}
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
		}
		return n.Value, nil
	}
	return nil, &Error{Line: n.Line, Column: n.Column, Msg: "unsupported YAML node"}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// pos returns the position of a setting, or of its closest enclosing one.
func (l *Layer) pos(path string) posn {
	for {
		if p, ok := l.lines[path]; ok {
			return p
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return l.lines[""]
		}
		path = path[:i]
	}
}

// keyPos returns the position of a setting's key (of the setting itself for sequence items).
func (l *Layer) keyPos(path string) posn {
	if p, ok := l.lines[path+"#key"]; ok {
		return p
	}
	return l.pos(path)
}

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("schema.json")
})

func validate(value any) error {
	sch, err := compiledSchema()
	if err != nil {
		return fmt.Errorf("internal error: the policy schema does not compile: %w", err)
	}
	// Round-trip through encoding/json so that the validator sees exactly JSON's types.
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

type schemaError struct {
	path string
	msg  string
}

var printer = message.NewPrinter(language.English)

// schemaErrors flattens a validation error into one message per problem, at the deepest setting.
func schemaErrors(ve *jsonschema.ValidationError) []schemaError {
	var out []schemaError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		path := strings.Join(e.InstanceLocation, ".")
		switch k := e.ErrorKind.(type) {
		case *kind.AnyOf:
			if len(e.InstanceLocation) == 2 && e.InstanceLocation[0] == "exceptions" {
				out = append(out, schemaError{path, "an exception needs at least one selector (file, stage, line, instruction or subject); to turn a rule off everywhere, set its severity"})
				return
			}
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				msg := fmt.Sprintf("unknown key %q", p)
				if path == "" {
					msg += fmt.Sprintf(" (this tightlip reads %s)", APIVersion)
				}
				out = append(out, schemaError{join(path, p) + "#key", msg})
			}
			return
		case *kind.Required:
			out = append(out, schemaError{path, fmt.Sprintf("missing %s", quoteAll(k.Missing))})
			return
		}
		if len(e.Causes) == 0 {
			msg := e.ErrorKind.LocalizedString(printer)
			if path != "" {
				msg = path + ": " + msg
			}
			out = append(out, schemaError{path, msg})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// knownRules are the IDs a policy may name.
var knownRules = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range rules.All() {
		m[r.ID] = true
	}
	return m
})

// check does what the schema cannot: rule IDs exist, patterns compile, dates are dates.
func (l *Layer) check() Errors {
	var errs Errors
	bad := func(path string, format string, args ...any) {
		p := l.pos(path)
		errs = append(errs, &Error{Path: l.Origin.Path, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)})
	}
	rule := func(path, id string) {
		if id != "*" && !knownRules()[id] {
			bad(path, "unknown rule %s (`tightlip rules` lists them)", id)
		}
	}
	d := &l.doc
	for id := range d.Rules {
		p := l.keyPos("rules." + id)
		if !knownRules()[id] {
			errs = append(errs, &Error{Path: l.Origin.Path, Line: p.line, Column: p.col, Msg: fmt.Sprintf("unknown rule %s (`tightlip rules` lists them)", id)})
		}
	}
	if c := d.Credentials; c != nil && c.Values != nil {
		for i, v := range c.Values.Extra {
			if _, err := compileValue(v.Pattern); err != nil {
				bad(fmt.Sprintf("credentials.values.extra.%d.pattern", i), "bad pattern: %v", err)
			}
		}
		for i, v := range c.Values.Allowed {
			if _, err := regexp.Compile(v); err != nil {
				bad(fmt.Sprintf("credentials.values.allowed.%d", i), "bad pattern: %v", err)
			}
		}
	}
	if f := d.Files; f != nil {
		for key, list := range map[string][]string{"extra": f.Extra, "allowed": f.Allowed} {
			for i, pat := range list {
				if _, err := patternmatcher.New([]string{pat}); err != nil {
					bad(fmt.Sprintf("files.%s.%d", key, i), "bad file pattern %q: %v", pat, err)
				}
			}
		}
	}
	if v := d.Verification; v != nil && v.Budget != nil {
		if dur, err := parseDuration(*v.Budget); err != nil || dur <= 0 {
			bad("verification.budget", "bad budget %q: a positive duration such as 90s or 5m", *v.Budget)
		}
	}
	for i, e := range d.Exceptions {
		base := fmt.Sprintf("exceptions.%d", i)
		rule(base+".rule", e.Rule)
		if strings.TrimSpace(e.Reason) == "" {
			bad(base+".reason", "an exception needs a reason")
		}
		if _, err := parseDate(e.Expires); err != nil {
			bad(base+".expires", "bad expiry date %q: YYYY-MM-DD", e.Expires)
		}
	}
	if p := d.Permissions; p != nil {
		for i, id := range p.Severity {
			rule(fmt.Sprintf("permissions.severity.%d", i), id)
		}
		for i, id := range p.Exceptions {
			rule(fmt.Sprintf("permissions.exceptions.%d", i), id)
		}
	}
	return errs
}

// compileValue compiles an extra credential value pattern; patterns that match the empty string
// would match everywhere.
func compileValue(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	if re.MatchString("") {
		return nil, errors.New("it matches the empty string")
	}
	return re, nil
}
