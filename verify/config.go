package verify

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/tightlip/tightlip/credential"
)

// config checks the image config: credential-named Env entries with literal values, credentials of
// known formats and known values in every field that holds text.
func (v *verifier) config(cf *v1.ConfigFile) {
	c := cf.Config
	for i, e := range c.Env {
		name, value, _ := strings.Cut(e, "=")
		if isLiteralCredential(name, value) {
			v.add(Finding{Check: ConfigEnv, Where: InConfig, Field: "Env", Entry: i, Snippet: v.mask(e),
				Message: fmt.Sprintf("ENV %s holds a credential %s in the image config", name, credential.Mask(value))})
		} else {
			v.values(Finding{Check: ConfigValue, Where: InConfig, Field: "Env", Entry: i, Snippet: v.mask(e)}, "ENV "+name, value)
		}
		v.known(Finding{Where: InConfig, Field: "Env", Entry: i, Snippet: v.mask(e)}, "ENV "+name, e)
	}
	keys := make([]string, 0, len(c.Labels))
	for k := range c.Labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		label := k + "=" + c.Labels[k]
		v.values(Finding{Check: ConfigValue, Where: InConfig, Field: "Labels", Entry: i, Snippet: v.mask(label)}, "LABEL "+k, c.Labels[k])
		v.known(Finding{Where: InConfig, Field: "Labels", Entry: i, Snippet: v.mask(label)}, "LABEL "+k, label)
	}
	type list struct {
		field string
		args  []string
	}
	lists := []list{{"Entrypoint", c.Entrypoint}, {"Cmd", c.Cmd}, {"OnBuild", c.OnBuild}}
	if c.Healthcheck != nil {
		lists = append(lists, list{"Healthcheck", c.Healthcheck.Test})
	}
	for _, l := range lists {
		for i, a := range l.args {
			what := l.field + " argument " + strconv.Itoa(i+1)
			if l.field == "OnBuild" {
				what = "ONBUILD trigger " + strconv.Itoa(i+1)
			}
			v.values(Finding{Check: ConfigValue, Where: InConfig, Field: l.field, Entry: i, Snippet: v.mask(a)}, what, a)
			v.known(Finding{Where: InConfig, Field: l.field, Entry: i, Snippet: v.mask(a)}, what, a)
		}
	}
}

// values reports each credential of a known format in text as a copy of f.
func (v *verifier) values(f Finding, where, text string) {
	for _, m := range credential.Find(text) {
		g := f
		g.Message = fmt.Sprintf("%s holds a %s %s", where, m.Pattern.Name, m.Masked)
		v.add(g)
	}
}

// known reports each known secret found in text as a copy of f: as a note on the finding already
// reported at the same place (the credential found there is that secret), or as a finding of its own.
func (v *verifier) known(f Finding, where, text string) {
	for _, k := range v.knownIn([]byte(text), -1) {
		if f.Where != InLayer {
			v.inConfig[k.secret] = true
		}
		v.knownAt(f, k, where)
	}
}

// knownAt reports that the known secret of k is at f's place (where, in messages).
func (v *verifier) knownAt(f Finding, k knownMatch, where string) {
	s := v.secrets[k.secret]
	if i, ok := v.at[placeOf(&f)]; ok {
		v.note(i).secrets = append(v.note(i).secrets, s.Name+encoded(k.encoding))
		return
	}
	f.Check = KnownValue
	f.Message = fmt.Sprintf("the value of secret %s %s is in %s%s", s.Name, credential.Mask(s.Value), where, encoded(k.encoding))
	v.add(f)
}

// encoded describes an encoding in a message: "", ", base64-encoded".
func encoded(encoding string) string {
	switch encoding {
	case "raw":
		return ""
	case "JSON-escaped", "URL-encoded":
		return ", " + encoding
	}
	return ", " + encoding + "-encoded"
}

// rawConfig searches the whole config for known values that no config or history finding names
// (fields the other checks do not read).
func (v *verifier) rawConfig(raw []byte) {
	for _, k := range v.knownIn(raw, -1) {
		if !v.inConfig[k.secret] {
			v.knownAt(Finding{Where: InConfig}, k, "the image config")
		}
	}
}

// history checks each history entry: the build arguments BuildKit recorded for a RUN step, ENV
// assignments the final config no longer shows, credentials of known formats and known values.
func (v *verifier) history(cf *v1.ConfigFile) {
	env := map[string]bool{}
	for _, e := range cf.Config.Env {
		env[e] = true
	}
	for i, h := range cf.History {
		text := h.CreatedBy
		f := Finding{Where: InHistory, Entry: i, Layer: v.byHistory[i], Snippet: v.mask(text)}
		where := "history entry " + strconv.Itoa(i+1)
		if l := f.Layer; l != nil {
			where += " (" + l.Name() + ")"
		}
		reported := map[string]bool{} // values already reported as build arguments or ENV
		args := runBuildArgs(text)
		if cmd, ok := instruction(text, "ARG"); ok {
			args = assignments(cmd)
		}
		for _, a := range args {
			if credential.IsName(a.name) && a.value != "" {
				g := f
				g.Check = HistoryBuildArg
				g.Message = fmt.Sprintf("build argument %s %s is recorded in %s", a.name, credential.Mask(a.value), where)
				v.note(v.add(g)).hint = fmt.Sprintf(": pass it as a secret (--secret id=%s) instead", a.name)
				reported[a.value] = true
			}
		}
		if cmd, ok := instruction(text, "ENV"); ok {
			for _, a := range assignments(cmd) {
				if env[a.name+"="+a.value] {
					reported[a.value] = true // the config check reports what the final config holds
					continue
				}
				if isLiteralCredential(a.name, a.value) {
					g := f
					g.Check = HistoryValue
					g.Message = fmt.Sprintf("ENV %s %s is recorded in %s (the final config no longer sets it)", a.name, credential.Mask(a.value), where)
					v.add(g)
					reported[a.value] = true
				}
			}
		}
		for _, part := range []string{text, h.Comment} {
			for _, m := range credential.Find(part) {
				if covered(reported, part[m.Start:m.End]) {
					continue
				}
				g := f
				g.Check = HistoryValue
				g.Message = fmt.Sprintf("%s holds a %s %s", where, m.Pattern.Name, m.Masked)
				v.add(g)
			}
		}
		v.known(f, where, text+"\n"+h.Comment)
	}
}

// covered reports whether a credential found in a text is (inside) a value already reported.
func covered(values map[string]bool, secret string) bool {
	for v := range values {
		if strings.Contains(v, secret) {
			return true
		}
	}
	return false
}

// isLiteralCredential reports whether NAME=value sets a credential-named variable to something that
// may be a credential: not empty, not a placeholder, not a reference.
func isLiteralCredential(name, value string) bool {
	if !credential.IsName(name) {
		return false
	}
	value = strings.TrimSpace(value)
	if value == "" || strings.HasPrefix(value, "$") || credential.IsPlaceholder(value) {
		return false
	}
	// A path to a credential file is not one (GOOGLE_APPLICATION_CREDENTIALS-like variables are not
	// credential names; this catches the rest: API_KEY=/run/secrets/api_key).
	return !strings.HasPrefix(value, "/run/secrets/")
}

type assignment struct {
	name, value string
	start, end  int // of the value in the text
}

// runBuildArgs returns the build arguments recorded at the start of a RUN history entry:
// "RUN |2 A=1 B=2 /bin/sh -c …" (BuildKit) or "|2 A=1 B=2 /bin/sh -c …" (the classic builder).
func runBuildArgs(createdBy string) []assignment {
	s := createdBy
	off := 0
	if rest, ok := strings.CutPrefix(s, "RUN "); ok {
		off += len(s) - len(rest)
		s = rest
	}
	if !strings.HasPrefix(s, "|") {
		return nil
	}
	sp := strings.IndexByte(s, ' ')
	if sp < 0 {
		return nil
	}
	n, err := strconv.Atoi(s[1:sp])
	if err != nil || n <= 0 {
		return nil
	}
	off += sp + 1
	return splitArgs(createdBy, off, n)
}

// argStart matches a NAME= that starts a build argument.
var argStart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// splitArgs reads n NAME=value words from s[off:]. Values are not quoted in history entries, so a
// value with spaces runs on until the next word that starts a NAME=, as long as fewer than n
// arguments have been read.
func splitArgs(s string, off, n int) []assignment {
	var out []assignment
	for off < len(s) && len(out) < n {
		for off < len(s) && s[off] == ' ' {
			off++
		}
		end := strings.IndexByte(s[off:], ' ')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		word := s[off:end]
		loc := argStart.FindStringIndex(word)
		if loc == nil {
			if len(out) == 0 {
				return nil
			}
			// A continuation of the previous value (it held a space).
			last := &out[len(out)-1]
			last.end = end
			last.value = s[last.start:end]
		} else {
			out = append(out, assignment{name: word[:loc[1]-1], value: word[loc[1]:], start: off + loc[1], end: end})
		}
		off = end
	}
	// Words after the last argument that do not start a NAME= belong to the command, not the value.
	return out
}

// instruction returns the arguments of a history entry made by the Dockerfile instruction keyword:
// "ENV A=1 B=2" (BuildKit) or "/bin/sh -c #(nop)  ENV A=1" (the classic builder).
func instruction(createdBy, keyword string) (string, bool) {
	s := createdBy
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c #(nop) "); ok {
		s = strings.TrimLeft(rest, " ")
	}
	rest, ok := strings.CutPrefix(s, keyword+" ")
	return rest, ok
}

// assignment matches NAME=value words anywhere in a text; a quoted value may hold spaces.
var assignmentRe = regexp.MustCompile(`(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&|)]+)`)

// assignments returns the NAME=value words of a text (values unquoted).
func assignments(s string) []assignment {
	var out []assignment
	for _, m := range assignmentRe.FindAllStringSubmatchIndex(s, -1) {
		name, start, end := s[m[2]:m[3]], m[4], m[5]
		value := s[start:end]
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value, start, end = value[1:len(value)-1], start+1, end-1
		}
		out = append(out, assignment{name: name, value: value, start: start, end: end})
	}
	return out
}

// mask returns a text of the config or the history with every credential in it replaced by
// asterisks: values of credential-named assignments and build arguments, credentials of known
// formats, known values.
func (v *verifier) mask(s string) string {
	b := []byte(s)
	mask := func(start, end int) {
		for i := max(start, 0); i < min(end, len(b)); i++ {
			b[i] = '*'
		}
	}
	for _, a := range runBuildArgs(s) {
		if credential.IsName(a.name) {
			mask(a.start, a.end)
		}
	}
	for _, a := range assignments(s) {
		if credential.IsName(a.name) && a.value != "" && !strings.HasPrefix(a.value, "$") {
			mask(a.start, a.end)
		}
	}
	for _, m := range credential.Find(s) {
		mask(m.Start, m.End)
	}
	v.scanner.Mask(b)
	return string(b)
}
