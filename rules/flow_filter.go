package rules

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/shellflow"
)

// Most RUN instructions handle no credential at all (apt-get install, go build). The shell analysis is
// the expensive part of tightlip's rules, so a RUN is analysed only when it can tell the rules
// something: when it sees a secret (a secret mount, a credential build arg, a file the stage holds
// that carries one), when it can remove or move a file the stage holds, when it may run a command that
// stores credentials, or when it may create a file named like a credential file. The last two are
// judged from the words of the script and of the variables in scope, conservatively.

// storeTriggers lists, for each command of shellflow's table of credential-storing commands
// (stores.go), the first words of its storing subcommands; a test checks that a RUN with each of them
// is analysed. pip3 and pip3.12 count as pip.
var storeTriggers = map[string][]string{
	"aws": {"configure"}, "az": {"acr", "login"}, "buildah": {"login", "logout"}, "bundle": {"config"},
	"bundler": {"config"}, "cargo": {"login"}, "composer": {"config", "global"}, "crane": {"auth"},
	"docker": {"login", "logout"}, "doctl": {"auth"}, "dotnet": {"nuget"}, "gcloud": {"auth"},
	"gem": {"signin", "sources"}, "gh": {"auth"}, "git": {"clone", "config", "credential", "credential-store", "remote"},
	"helm": {"registry", "repo"}, "hf": {"auth"}, "huggingface-cli": {"login", "logout"}, "kubectl": {"config"},
	"mc": {"alias", "config"}, "npm": {"add-user", "adduser", "config", "login", "logout", "set"},
	"nuget": {"sources"}, "oras": {"login"}, "pip": {"config"}, "pnpm": {"config", "login", "set"},
	"podman": {"login", "logout"}, "poetry": {"config"}, "regctl": {"registry"}, "skopeo": {"login", "logout"},
	"terraform": {"login"}, "vault": {"login"}, "yarn": {"config", "npm"},
}

// storeIndex is storeTriggers by word, for mentionsStoreTool: the tools a word names and the tools it
// is a storing subcommand of, as sets of bits (one per tool).
type storeIndex struct {
	words map[string]storeWord
	pip   uint64 // the bit of pip, which pip3 and pip3.12 name too
	// lengths[c] has bit n set when a word of words starts with byte c and is n bytes long (n < 32),
	// so that most words of a script are rejected without a map lookup.
	lengths [256]uint32
}

type storeWord struct {
	tool, trigger uint64
}

var storeWords = sync.OnceValue(func() storeIndex {
	tools := slices.Sorted(maps.Keys(storeTriggers))
	if len(tools) > 64 {
		panic("rules: more than 64 credential-storing tools")
	}
	ix := storeIndex{words: make(map[string]storeWord)}
	for i, t := range tools {
		e := ix.words[t]
		e.tool |= 1 << i
		ix.words[t] = e
		for _, w := range storeTriggers[t] {
			e := ix.words[w]
			e.trigger |= 1 << i
			ix.words[w] = e
		}
	}
	ix.pip = ix.words["pip"].tool
	for w := range ix.words {
		if len(w) >= 32 {
			panic("rules: credential-storing command word " + strconv.Quote(w) + " is too long")
		}
		ix.lengths[w[0]] |= 1 << len(w)
	}
	return ix
})

// credentialFragments are literal parts of the names of credential files that are credentials
// whatever they hold (id_rsa, .netrc, .env, …): a script that creates one names it with one of these.
var credentialFragments = sync.OnceValue(func() *literalSet {
	var out []string
	for _, k := range credential.FileKinds() {
		if k.Unknown() != credential.Credential {
			continue
		}
		for _, p := range k.Patterns() {
			best := ""
			for _, f := range strings.FieldsFunc(p, func(r rune) bool { return strings.ContainsRune(`*?[]\/`, r) }) {
				if len(f) > len(best) {
					best = f
				}
			}
			if best != "" && !slices.Contains(out, best) {
				out = append(out, best)
			}
		}
	}
	// Keep the fragments that do not contain another one: "credentials" finds ".git-credentials".
	return newLiteralSet(slices.DeleteFunc(out, func(f string) bool {
		for _, g := range out {
			if g != f && strings.Contains(f, g) {
				return true
			}
		}
		return false
	}))
})

// worthAnalysing reports whether analysing the RUN described by spec can produce a fact the rules use.
// The variables in scope count when the script expands a variable: $TOOL login, > "$KEY_PATH".
func worthAnalysing(spec *shellflow.Spec, scope []*model.Var, holds bool) bool {
	if len(spec.SecretFiles) > 0 || len(spec.SecretEnv) > 0 || holds {
		return true
	}
	mentions := func(t string) bool { return mentionsStoreTool(t) || mentionsCredentialFile(t) }
	if scriptMentionsStoreTool(spec.Script) || mentionsCredentialFile(spec.Script) || slices.ContainsFunc(spec.Exec, mentions) {
		return true
	}
	expands := strings.IndexByte(spec.Script, '$') >= 0 ||
		slices.ContainsFunc(spec.Exec, func(t string) bool { return strings.IndexByte(t, '$') >= 0 })
	if expands {
		for _, v := range scope {
			if mentionsStoreTool(v.Value) || mentionsCredentialFile(v.Value) {
				return true
			}
		}
	}
	return false
}

// mentionsStoreTool reports whether the words of s (split at anything but letters, digits and "-_.")
// name a credential-storing command and one of its storing subcommands.
func mentionsStoreTool(s string) bool {
	return mentionsStoreToolExcept(s, nil)
}

// scriptMentionsStoreTool is mentionsStoreTool for a shell script, where a word that the shell reads
// as a command name (set in `set -eux`, adduser in `&& adduser -D app`) is no operand of a command,
// and so does not count as a storing subcommand (it still counts as a command). The long RUN scripts
// of official images run npm --version after `set -eux` and `adduser`, and store nothing.
func scriptMentionsStoreTool(s string) bool {
	if !mentionsStoreTool(s) {
		return false // most scripts: no need to find the command names
	}
	names, ok := commandNames(s)
	return !ok || mentionsStoreToolExcept(s, names)
}

// mentionsStoreToolExcept is mentionsStoreTool where the words at the offsets in commands (in
// increasing order) do not count as subcommands.
func mentionsStoreToolExcept(s string, commands []int) bool {
	ix := storeWords()
	var tools, triggers uint64
	wordsAt(s, func(off int, w string) {
		var e storeWord
		if len(w) < 32 && ix.lengths[w[0]]&(1<<len(w)) != 0 {
			e = ix.words[w]
		}
		if strings.HasPrefix(w, "pip") {
			e.tool = ix.pip
		}
		for len(commands) > 0 && commands[0] < off {
			commands = commands[1:]
		}
		if len(commands) > 0 && commands[0] == off {
			e.trigger = 0
		}
		tools |= e.tool
		triggers |= e.trigger
	})
	return tools&triggers != 0
}

// words calls fn with each word of s.
func words(s string, fn func(string)) {
	wordsAt(s, func(_ int, w string) { fn(w) })
}

// wordsAt calls fn with each word of s and its offset.
func wordsAt(s string, fn func(off int, w string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isToolByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(start, s[start:i])
			start = -1
		}
	}
}

// commandNames returns the offsets, in increasing order, of the words of a shell script that the
// shell reads as command names: unquoted words of letters, digits and "-_." that start a command (at
// the start of the script, after a command separator, ( or $(, or after a keyword such as then or do
// that starts a command itself). It follows quotes, $(…) and ${…}; ok is false for constructs it does
// not follow (here-documents, backquotes, array assignments, case inside parentheses, ${…} holding
// quotes or expansions), and the caller then counts every word. A word it is unsure of is taken for
// an operand.
func commandNames(s string) (names []int, ok bool) {
	if strings.Contains(s, "<<") || strings.Contains(s, "=(") || strings.IndexByte(s, '`') >= 0 {
		return nil, false
	}
	// quotes holds the quoting of each nested text: the script, then every $(…) and (…) in it.
	quotes := []byte{0}
	atCommand := true // the next word starts a command
	for i := 0; i < len(s); {
		q := &quotes[len(quotes)-1]
		c := s[i]
		switch {
		case *q == '\'':
			if c == '\'' {
				*q = 0
			}
			i++
			continue
		case *q == '"' && c == '"':
			*q = 0
			i++
			continue
		case *q == '"' && c != '\\' && c != '$':
			i++
			continue
		}
		switch c {
		case '\\':
			if i+1 < len(s) && s[i+1] != '\n' {
				atCommand = false // an escaped character, part of a word
			}
			i += 2 // an escape, or a line continuation
		case '$':
			switch {
			case i+1 < len(s) && s[i+1] == '(':
				quotes = append(quotes, 0)
				atCommand = true
				i += 2
			case i+1 < len(s) && s[i+1] == '{':
				end, ok := paramEnd(s, i)
				if !ok {
					return nil, false
				}
				atCommand = false
				i = end
			default:
				atCommand = false
				i++
			}
		case '\'', '"':
			*q = c
			atCommand = false
			i++
		case ' ', '\t':
			i++
		case '\n', ';', '|':
			atCommand = true
			i++
		case '&':
			// &> and >& redirect; & and && end a command.
			atCommand = !(i+1 < len(s) && s[i+1] == '>' || i > 0 && (s[i-1] == '>' || s[i-1] == '<'))
			i++
		case '(':
			quotes = append(quotes, 0)
			atCommand = true
			i++
		case ')':
			if len(quotes) > 1 {
				quotes = quotes[:len(quotes)-1]
			}
			atCommand = false
			i++
		case '<', '>':
			atCommand = false
			i++
		case '#':
			if i == 0 || isCommandBreak(s[i-1]) {
				for i < len(s) && s[i] != '\n' {
					i++
				}
				continue
			}
			fallthrough
		default:
			// A word, up to a blank, an operator, a quote or an expansion (which make the rest of it
			// not plain, and are handled above).
			start := i
			for i < len(s) && isToolByte(s[i]) {
				i++
			}
			plain := i > start && (i == len(s) || isCommandBreak(s[i]))
			for i < len(s) && !isCommandBreak(s[i]) && !strings.ContainsRune(`\'"$`, rune(s[i])) {
				i++
			}
			if i == start {
				i++
			}
			word := s[start:i]
			if word == "case" && len(quotes) > 1 {
				return nil, false
			}
			if atCommand && plain {
				names = append(names, start)
			}
			atCommand = atCommand && plain && isKeyword(word)
		}
	}
	return names, true
}

// paramEnd returns the offset after the ${…} that starts at i; ok is false when it holds quotes,
// escapes or expansions, or does not end.
func paramEnd(s string, i int) (int, bool) {
	for j := i + 2; j < len(s); j++ {
		switch s[j] {
		case '}':
			return j + 1, true
		case '\'', '"', '`', '$', '\\', '{':
			return 0, false
		}
	}
	return 0, false
}

// isCommandBreak reports whether c ends a word: a blank or an operator character.
func isCommandBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>':
		return true
	}
	return false
}

// isKeyword reports whether a word at the start of a command is a keyword after which another
// command starts.
func isKeyword(w string) bool {
	switch w {
	case "if", "then", "else", "elif", "do", "while", "until":
		return true
	}
	return false
}

func isToolByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// mentionsCredentialFile reports whether s contains part of the name of a credential file.
func mentionsCredentialFile(s string) bool {
	return credentialFragments().in(s)
}

// literalSet tells whether a text contains one of a set of strings, each at least two bytes long. A
// bit per byte pair that starts one of them rejects almost every position of the text with one load.
type literalSet struct {
	pairs [1 << 16 / 64]uint64
	lits  []string
}

func newLiteralSet(lits []string) *literalSet {
	ls := &literalSet{lits: lits}
	for _, l := range lits {
		if len(l) < 2 {
			panic("rules: literal " + strconv.Quote(l) + " shorter than two bytes")
		}
		p := pair(l)
		ls.pairs[p/64] |= 1 << (p % 64)
	}
	return ls
}

func pair(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// in reports whether s contains one of the strings.
func (ls *literalSet) in(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if p := pair(s[i:]); ls.pairs[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		for _, l := range ls.lits {
			if strings.HasPrefix(s[i:], l) {
				return true
			}
		}
	}
	return false
}
