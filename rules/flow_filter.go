package rules

import (
	"slices"
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

// credentialFragments are literal parts of the names of credential files that are credentials
// whatever they hold (id_rsa, .netrc, .env, …): a script that creates one names it with one of these.
var credentialFragments = sync.OnceValue(func() []string {
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
	return slices.DeleteFunc(out, func(f string) bool {
		for _, g := range out {
			if g != f && strings.Contains(f, g) {
				return true
			}
		}
		return false
	})
})

// worthAnalysing reports whether analysing the RUN described by spec can produce a fact the rules use.
// The variables in scope count when the script expands a variable: $TOOL login, > "$KEY_PATH".
func worthAnalysing(spec *shellflow.Spec, scope []*model.Var, holds bool) bool {
	if len(spec.SecretFiles) > 0 || len(spec.SecretEnv) > 0 || holds {
		return true
	}
	expands := false
	for _, t := range append([]string{spec.Script}, spec.Exec...) {
		if mentionsStoreTool(t) || mentionsCredentialFile(t) {
			return true
		}
		expands = expands || strings.IndexByte(t, '$') >= 0
	}
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
	var tools []string
	words(s, func(w string) {
		if strings.HasPrefix(w, "pip") {
			w = "pip"
		}
		if _, ok := storeTriggers[w]; ok && !slices.Contains(tools, w) {
			tools = append(tools, w)
		}
	})
	if len(tools) == 0 {
		return false
	}
	found := false
	words(s, func(w string) {
		for _, t := range tools {
			if !found && slices.Contains(storeTriggers[t], w) {
				found = true
			}
		}
	})
	return found
}

// words calls fn with each word of s.
func words(s string, fn func(string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isToolByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(s[start:i])
			start = -1
		}
	}
}

func isToolByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// mentionsCredentialFile reports whether s contains part of the name of a credential file.
func mentionsCredentialFile(s string) bool {
	for _, f := range credentialFragments() {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}
