package credential

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits an identifier written in any case style into lower-case words: NPM_TOKEN, npmToken,
// db-password, APIKey and api.key give [npm token], [npm token], [db password], [api key], [api key].
// A run of capitals followed by a lower-case letter ends before its last capital (APIKey → API Key);
// digits stay with the letters before them (OAUTH2_TOKEN → oauth2 token).
func Words(name string) []string {
	var words []string
	start := -1
	var prev rune
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(name[start:end]))
		}
		start = -1
	}
	for i, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			prev = r
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			next, _ := utf8.DecodeRuneInString(name[i+utf8.RuneLen(r):])
			switch {
			case unicode.IsLower(prev) || unicode.IsDigit(prev) && unicode.IsLower(next):
				flush(i) // npmToken, S3Bucket
			case unicode.IsUpper(prev) && unicode.IsLower(next):
				flush(i) // APIKey
			}
		}
		if start < 0 {
			start = i
		}
		prev = r
	}
	flush(len(name))
	return words
}

// credentialWords are words that name a credential wherever they stand (DB_PASSWORD, SECRET_KEY_BASE).
var credentialWords = set(
	"password", "passwd", "passphrase", "secret", "secrets", "token", "tokens", "credential",
	"credentials", "creds", "apikey", "apikeys", "privatekey", "secretkey", "accesskey", "authtoken",
	"accesstoken", "refreshtoken", "pat",
)

// credentialStems name a credential at the end of a word written without separators (PGPASSWORD,
// NGROK_AUTHTOKEN, githubtoken).
var credentialStems = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "secretkey",
	"accesskey", "credentials",
}

// lastWords name a credential only as the last word of a name: DB_PASS, BASIC_AUTH, DB_PWD, API_KEY.
var lastWords = set("pass", "pwd", "auth", "key", "keys")

// neutralWords make a name mean something about a credential rather than the credential itself: where
// it is (PASSWORD_FILE, TOKEN_URL, SSH_AUTH_SOCK), a property of it (PASSWORD_MIN_LENGTH, TOKEN_TTL,
// AUTH_ENABLED), the public half (PUBLIC_KEY) or a stand-in (SECRET_KEY_BASE_DUMMY).
var neutralWords = set(
	// location
	"file", "files", "path", "paths", "dir", "dirs", "directory", "folder", "url", "urls", "uri", "endpoint",
	"host", "hostname", "port", "server", "addr", "address", "domain", "sock", "socket", "mount", "location",
	// properties and settings
	"version", "ver", "length", "len", "min", "max", "count", "size", "limit", "ttl", "expiry", "expires",
	"expire", "expiration", "timeout", "lifetime", "age", "duration", "interval", "enabled", "enable",
	"disable", "disabled", "required", "require", "allow", "empty", "random", "generate", "skip", "type",
	"method", "mode", "scheme", "format", "algorithm", "algo", "header", "prefix", "suffix", "regex", "pattern",
	"policy", "hint", "per", "num", "number", "kind", "field", "param", "label", "name", "names", "ref",
	"arn", "provider", "helper", "command", "cmd", "fingerprint", "checksum", "sha", "sha256", "issuer",
	"audience", "scope", "scopes", "realm",
	// public material and stand-ins
	"public", "pub", "publishable", "dummy", "placeholder", "fake", "example", "sample", "mock",
)

// neutralLast are neutral only as the last word: KEY_ID and CLIENT_ID are identifiers, but ID_TOKEN is
// a credential.
var neutralLast = set("id", "ids")

// keyQualifiers make *_KEY a non-credential: GPG_KEY (a fingerprint), CACHE_KEY, SITE_KEY (public).
var keyQualifiers = set(
	"gpg", "pgp", "gnupg", "cache", "sort", "partition", "primary", "foreign", "lookup", "map", "index",
	"routing", "idempotency", "dedup", "shard", "site", "anon", "verify", "verification", "hash", "repo",
)

// pointerNames are credential-sounding names that by convention hold a path, not a credential.
var pointerNames = set("google_application_credentials")

// IsName reports whether a variable called name holds a credential: NPM_TOKEN, npmToken, db-password,
// GH_PAT, *_API_KEY, *_SECRET, *_PRIVATE_KEY, PASSWD, AUTH_TOKEN, ACCESS_KEY, CLIENT_SECRET,
// credentials. It does not flag names that point at or describe one: *_VERSION, *_FILE, *_PATH, *_DIR,
// *_URL, *_HOST, *_PORT, *_PUBLIC*, PUBLIC_KEY, SSH_AUTH_SOCK, PASSWORD_MIN_LENGTH, *_ENABLED,
// TOKEN_ENDPOINT, *_ID, nor GPG_KEY(S) (a public key fingerprint in official images).
func IsName(name string) bool {
	return NameWord(name) != ""
}

// NameWord returns the word that makes name a credential name ("token" for NPM_TOKEN), or "".
func NameWord(name string) string {
	if !mayBeCredentialName(name) {
		return ""
	}
	if _, ok := pointerNames[strings.ToLower(name)]; ok {
		return ""
	}
	words := Words(name)
	if len(words) == 0 {
		return ""
	}
	for _, w := range words {
		if _, ok := neutralWords[w]; ok {
			return ""
		}
	}
	last := len(words) - 1
	// Version and counter suffixes do not change what a name is: ENCRYPTION_KEY_V2, API_KEY_1.
	for last > 0 && isVersionWord(words[last]) {
		last--
	}
	if _, ok := neutralLast[words[last]]; ok {
		return ""
	}
	for i, w := range words[:last+1] {
		if _, ok := credentialWords[w]; ok {
			return w
		}
		if i == last {
			if _, ok := lastWords[w]; ok {
				if w == "pwd" && last == 0 {
					return "" // PWD is the working directory
				}
				if (w == "key" || w == "keys") && i > 0 {
					if _, ok := keyQualifiers[words[i-1]]; ok {
						return ""
					}
				}
				return w
			}
		}
		for _, stem := range credentialStems {
			if len(w) > len(stem) && strings.HasSuffix(w, stem) {
				return stem
			}
		}
	}
	return ""
}

func isVersionWord(w string) bool {
	if w == "" {
		return false
	}
	if w[0] == 'v' {
		w = w[1:]
	}
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func set(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// nameHints are substrings (lower case) of every credential name: a name without any of them is
// rejected without splitting it into words.
var nameHints = []string{"pass", "pwd", "secret", "token", "cred", "key", "auth", "pat"}

func mayBeCredentialName(name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return true
	}
	lower := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, h := range nameHints {
		if bytes.Contains(lower, []byte(h)) {
			return true
		}
	}
	return false
}
