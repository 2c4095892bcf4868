package credential

import (
	"math"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// Pattern is a known credential format.
type Pattern struct {
	// ID is a short stable identifier ("github-pat").
	ID string
	// Name says what the credential is ("GitHub personal access token").
	Name string
	// Source is where the format is documented or the pattern comes from.
	Source string

	keywords []string                        // a match needs one of them in the text (lower case when fold is set)
	requires string                          // and, when set, this one too
	precheck func(s string) bool             // and, when set, this cheap test passes
	fold     bool                            // keywords are matched case-insensitively
	re       *regexp.Regexp                  // submatch 1, when present, is the credential; else the whole match
	lead     *regexp.Regexp                  // re anchored at the start, when every match starts with a keyword
	bit      uint64                          // the pattern's bit in keywordIndex.scan's result
	show     int                             // leading characters of the credential that are a public format prefix
	bounded  bool                            // the credential may not be glued to other token characters
	entropy  float64                         // minimum Shannon entropy (bits per character) of the credential
	valid    func(secret, match string) bool // match is the whole regexp match
}

// Match is a credential found in a text.
type Match struct {
	Pattern *Pattern
	// Start and End are the byte offsets of the credential in the text.
	Start, End int
	// Masked describes the credential without revealing it, e.g. "ghp_… (40 chars)".
	Masked string
}

// Sources used below.
const (
	srcGitleaks   = "https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml"
	srcGitHub     = "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"
	srcGitLab     = "https://docs.gitlab.com/ee/security/tokens/#token-prefixes"
	srcNpm        = "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/"
	srcPyPI       = "https://pypi.org/help/#apitoken"
	srcAWS        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"
	srcSlack      = "https://api.slack.com/authentication/token-types"
	srcSlackHooks = "https://api.slack.com/messaging/webhooks"
	srcStripe     = "https://docs.stripe.com/keys"
	srcGoogle     = "https://cloud.google.com/docs/authentication/api-keys"
	srcPEM        = "https://www.rfc-editor.org/rfc/rfc7468"
	srcJWT        = "https://www.rfc-editor.org/rfc/rfc7519"
	srcURL        = "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1"
	srcDocker     = "https://docs.docker.com/security/for-developers/access-tokens/"
	srcNpmrc      = "https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration"
	srcDockerCfg  = "https://docs.docker.com/reference/cli/docker/#credential-store-options"
	srcHTTPAuth   = "https://www.rfc-editor.org/rfc/rfc9110#name-authorization"
	srcAzure      = "https://learn.microsoft.com/en-us/azure/storage/common/storage-configure-connection-string"
)

// patterns is the table of known credential formats, most specific first: where matches overlap, the
// earlier pattern wins.
var patterns = []*Pattern{
	{ID: "private-key", Name: "private key", Source: srcPEM + " (pattern: " + srcGitleaks + ")",
		keywords: []string{"PRIVATE KEY"},
		// The header must be followed by key material, so that a script grepping for the header is not
		// taken for a key. Headers such as Proc-Type may come first; line breaks may be written as \n.
		re: regexp.MustCompile(`(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)(?:\s|\\[nr])+(?:[A-Za-z-]+:[^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{40,}`)},
	{ID: "github-pat", Name: "GitHub personal access token", Source: srcGitHub,
		keywords: []string{"ghp_"}, re: regexp.MustCompile(`ghp_[0-9A-Za-z]{36}`), show: 4, bounded: true, entropy: 3},
	{ID: "github-oauth", Name: "GitHub OAuth access token", Source: srcGitHub,
		keywords: []string{"gho_"}, re: regexp.MustCompile(`gho_[0-9A-Za-z]{36}`), show: 4, bounded: true, entropy: 3},
	{ID: "github-app-token", Name: "GitHub App token", Source: srcGitHub,
		keywords: []string{"ghu_", "ghs_"}, re: regexp.MustCompile(`gh[us]_[0-9A-Za-z]{36}`), show: 4, bounded: true, entropy: 3},
	{ID: "github-refresh-token", Name: "GitHub refresh token", Source: srcGitHub,
		keywords: []string{"ghr_"}, re: regexp.MustCompile(`ghr_[0-9A-Za-z]{36}`), show: 4, bounded: true, entropy: 3},
	{ID: "github-fine-grained-pat", Name: "GitHub fine-grained personal access token", Source: srcGitHub,
		keywords: []string{"github_pat_"}, re: regexp.MustCompile(`github_pat_[0-9A-Za-z_]{82}`), show: 11, bounded: true, entropy: 3},
	{ID: "gitlab-token", Name: "GitLab token", Source: srcGitLab,
		keywords: []string{"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-"},
		re:       regexp.MustCompile(`(?:glpat|gldt|glrt|glptt|glcbt)-[0-9A-Za-z_.-]{20,300}`), show: 5, bounded: true, entropy: 3},
	{ID: "npm-token", Name: "npm access token", Source: srcNpm,
		keywords: []string{"npm_"}, re: regexp.MustCompile(`npm_[0-9A-Za-z]{36}`), show: 4, bounded: true, entropy: 3},
	{ID: "pypi-token", Name: "PyPI API token", Source: srcPyPI,
		keywords: []string{"pypi-AgEIcHlwaS5vcmc"}, re: regexp.MustCompile(`pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,1000}`), show: 5, bounded: true},
	{ID: "aws-access-key-id", Name: "AWS access key ID", Source: srcAWS + " (pattern: " + srcGitleaks + ")",
		keywords: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
		re:       regexp.MustCompile(`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}`), show: 4, bounded: true, entropy: 3,
		valid: func(s, _ string) bool { return !strings.HasSuffix(s, "EXAMPLE") }},
	{ID: "aws-secret-access-key", Name: "AWS secret access key", Source: srcAWS,
		keywords: []string{"aws_secret", "awssecret", "aws-secret", "secret_access_key", "secretaccesskey"}, fold: true,
		re:      regexp.MustCompile(`(?i)(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)["']?\s*(?:[:=]|\s)\s*["']?([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)`),
		entropy: 3.5, valid: func(s, _ string) bool { return !strings.Contains(s, "EXAMPLE") }},
	{ID: "slack-token", Name: "Slack token", Source: srcSlack + " (pattern: " + srcGitleaks + ")",
		keywords: []string{"xox"}, re: regexp.MustCompile(`xox[abposre]-[0-9]{6,}-[0-9A-Za-z-]{10,}`), show: 5, bounded: true, entropy: 2},
	{ID: "slack-webhook", Name: "Slack webhook URL", Source: srcSlackHooks,
		keywords: []string{"hooks.slack.com"},
		re:       regexp.MustCompile(`hooks\.slack\.com/(?:services/T[0-9A-Z]{6,}/B[0-9A-Z]{6,}/[0-9A-Za-z]{20,}|(?:workflows|triggers)/T[0-9A-Z]{6,}/[0-9A-Za-z/]{20,})`), show: 15},
	{ID: "stripe-secret-key", Name: "Stripe live secret key", Source: srcStripe,
		keywords: []string{"sk_live_", "rk_live_"}, re: regexp.MustCompile(`[sr]k_live_[0-9A-Za-z]{20,99}`), show: 8, bounded: true, entropy: 3},
	{ID: "google-api-key", Name: "Google API key", Source: srcGoogle + " (pattern: " + srcGitleaks + ")",
		keywords: []string{"AIza"}, re: regexp.MustCompile(`AIza[0-9A-Za-z_-]{35}`), show: 4, bounded: true, entropy: 3},
	{ID: "dockerhub-pat", Name: "Docker Hub access token", Source: srcDocker,
		keywords: []string{"dckr_pat_"}, re: regexp.MustCompile(`dckr_pat_[0-9A-Za-z_-]{27}`), show: 9, bounded: true, entropy: 3},
	{ID: "openai-api-key", Name: "OpenAI API key", Source: srcGitleaks,
		keywords: []string{"T3BlbkFJ"}, re: regexp.MustCompile(`sk-(?:(?:proj|svcacct|admin)-)?[0-9A-Za-z_-]{20,80}T3BlbkFJ[0-9A-Za-z_-]{20,80}`), show: 3, bounded: true},
	{ID: "anthropic-api-key", Name: "Anthropic API key", Source: srcGitleaks,
		keywords: []string{"sk-ant-"}, re: regexp.MustCompile(`sk-ant-(?:api03|admin01)-[0-9A-Za-z_-]{80,120}`), show: 7, bounded: true},
	{ID: "sendgrid-api-key", Name: "SendGrid API key", Source: srcGitleaks,
		keywords: []string{"SG."}, re: regexp.MustCompile(`SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}`), show: 3, bounded: true, entropy: 3},
	{ID: "huggingface-token", Name: "Hugging Face access token", Source: srcGitleaks,
		keywords: []string{"hf_"}, re: regexp.MustCompile(`hf_[A-Za-z]{34}`), show: 3, bounded: true, entropy: 3},
	{ID: "digitalocean-token", Name: "DigitalOcean token", Source: srcGitleaks,
		keywords: []string{"_v1_"}, re: regexp.MustCompile(`do[opr]_v1_[a-f0-9]{64}`), show: 7, bounded: true},
	{ID: "shopify-token", Name: "Shopify access token", Source: srcGitleaks,
		keywords: []string{"shpat_", "shpca_", "shppa_", "shpss_"}, re: regexp.MustCompile(`shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}`), show: 6, bounded: true},
	{ID: "vault-token", Name: "HashiCorp Vault token", Source: srcGitleaks,
		keywords: []string{"hvs.", "hvb."}, re: regexp.MustCompile(`hv[sb]\.[0-9A-Za-z_-]{90,300}`), show: 4, bounded: true, entropy: 3.5},
	{ID: "azure-storage-key", Name: "Azure storage account key", Source: srcAzure,
		keywords: []string{"AccountKey="}, re: regexp.MustCompile(`AccountKey=([A-Za-z0-9+/]{86}==)`)},
	{ID: "npmrc-auth", Name: "npm registry credential", Source: srcNpmrc,
		keywords: []string{"_authToken", "_auth", "_password"}, precheck: hasNpmrcValue,
		re: regexp.MustCompile(`(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'$\\]{8,})`), entropy: 2.5},
	{ID: "docker-config-auth", Name: "registry credential in a Docker config", Source: srcDockerCfg,
		keywords: []string{`"auth"`, `"identitytoken"`},
		re:       regexp.MustCompile(`"(?:auth|identitytoken)"\s*:\s*"([A-Za-z0-9+/=._-]{12,})"`), entropy: 2.5},
	{ID: "http-authorization", Name: "HTTP Authorization credential", Source: srcHTTPAuth,
		keywords: []string{"authorization"}, fold: true,
		re: regexp.MustCompile(`(?i)authorization:\s*(?:basic|bearer|token)\s+([A-Za-z0-9._~+/=-]{16,})`), entropy: 3},
	{ID: "jwt", Name: "JSON Web Token", Source: srcJWT + " (pattern: " + srcGitleaks + ")",
		keywords: []string{"eyJ"}, re: regexp.MustCompile(`eyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}`), show: 3, bounded: true, entropy: 3},
	{ID: "url-password", Name: "password in a URL", Source: srcURL,
		keywords: []string{"://"}, requires: "@", precheck: hasUserinfoPassword,
		// scheme://user:password@host; the password is submatch 1.
		re:    regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@'"$]+:([^\s/@'"]+)@[A-Za-z0-9.-]+`),
		valid: validURLPassword},
}

func init() {
	for i, p := range patterns {
		p.lead = leadRegexp(p)
		p.bit = 1 << i
	}
}

// leadRegexp returns the pattern's regexp anchored at the start when every match of it starts with
// one of the pattern's keywords, and nil otherwise. Find then tries the regexp only where a keyword
// is, instead of at every position of the text.
func leadRegexp(p *Pattern) *regexp.Regexp {
	if p.fold {
		return nil
	}
	re, err := syntax.Parse(p.re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	lits, _, ok := leadingLiterals(re)
	if !ok || len(lits) == 0 {
		return nil
	}
	for _, l := range lits {
		if !slices.ContainsFunc(p.keywords, func(k string) bool { return strings.HasPrefix(l, k) }) {
			return nil
		}
	}
	return regexp.MustCompile(`^(?:` + p.re.String() + `)`)
}

// leadingLiterals returns strings one of which starts every match of re (when complete, every match
// is one of them), or ok false when it cannot tell. Case-folded literals and anything but literals,
// small character classes, concatenations, alternations and groups make it stop.
func leadingLiterals(re *syntax.Regexp) (lits []string, complete, ok bool) {
	const maxLits = 64
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false, false
		}
		return []string{string(re.Rune)}, true, true
	case syntax.OpEmptyMatch:
		return []string{""}, true, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(lits) == 8 {
					return nil, false, false
				}
				lits = append(lits, string(r))
			}
		}
		return lits, true, true
	case syntax.OpCapture:
		return leadingLiterals(re.Sub[0])
	case syntax.OpAlternate:
		complete = true
		for _, sub := range re.Sub {
			l, c, ok := leadingLiterals(sub)
			if !ok || len(lits)+len(l) > maxLits {
				return nil, false, false
			}
			lits, complete = append(lits, l...), complete && c
		}
		return lits, complete, true
	case syntax.OpConcat:
		lits = []string{""}
		for _, sub := range re.Sub {
			l, c, ok := leadingLiterals(sub)
			if !ok || len(lits)*len(l) > maxLits {
				return lits, false, true // what is known so far starts every match
			}
			next := make([]string, 0, len(lits)*len(l))
			for _, a := range lits {
				for _, b := range l {
					next = append(next, a+b)
				}
			}
			lits = next
			if !c {
				return lits, false, true
			}
		}
		return lits, true, true
	}
	return nil, false, false
}

// Patterns returns the table of known credential formats.
func Patterns() []*Pattern { return patterns }

// Find returns the credentials of known formats in s, in order of position, without overlaps.
func Find(s string) []Match {
	found := keywords.scan(s)
	return newFinder(s, found).find(s, found)
}

// Finder finds credentials with the patterns that can match in a larger text. When many small texts
// of one file are searched, a Finder made once from the whole file skips the patterns whose keywords
// the file does not contain.
type Finder struct {
	patterns []*Pattern
}

// NewFinder returns a Finder for texts taken from corpus.
func NewFinder(corpus string) *Finder {
	return newFinder(corpus, keywords.scan(corpus))
}

// newFinder is NewFinder with found, the patterns with a keyword in corpus (keywords.scan).
func newFinder(corpus string, found uint64) *Finder {
	f := &Finder{}
	for _, p := range patterns {
		if found&p.bit != 0 && (p.requires == "" || strings.Contains(corpus, p.requires)) {
			f.patterns = append(f.patterns, p)
		}
	}
	return f
}

// keywordIndex finds which patterns' keywords occur in a text in one pass: a bit per byte pair that
// starts a keyword (in every case for a case-insensitive one) rejects almost every position with one
// load. The bits of the pairs with one first byte take 32 bytes, so a text touches few cache lines.
type keywordIndex struct {
	pairs [1 << 16 / 64]uint64
	// lists are the keywords of each pair whose bit is set, in the order of the bits: the list of
	// pair p is lists[rank[p/64] + the number of bits set below p's in pairs[p/64]].
	rank  [1 << 16 / 64]uint16
	lists [][]keywordRef
}

type keywordRef struct {
	keyword string
	fold    bool
	pattern int
}

var keywords = newKeywordIndex()

func newKeywordIndex() *keywordIndex {
	if len(patterns) > 64 {
		panic("credential: more than 64 patterns")
	}
	ix := &keywordIndex{}
	byPair := make(map[uint16][]keywordRef)
	for i, p := range patterns {
		for _, k := range p.keywords {
			firsts, seconds := []byte{k[0]}, []byte{k[1]}
			if p.fold {
				firsts, seconds = cases(k[0]), cases(k[1])
			}
			for _, a := range firsts {
				for _, b := range seconds {
					key := pair(a, b)
					ix.pairs[key/64] |= 1 << (key % 64)
					byPair[key] = append(byPair[key], keywordRef{keyword: k, fold: p.fold, pattern: i})
				}
			}
		}
	}
	n := 0
	for w, bits := range ix.pairs {
		ix.rank[w] = uint16(n)
		for b := range 64 {
			if bits&(1<<b) != 0 {
				ix.lists = append(ix.lists, byPair[uint16(w*64+b)])
				n++
			}
		}
	}
	return ix
}

// list returns the keywords that start with the byte pair key, nil when none does.
func (ix *keywordIndex) list(key uint16) []keywordRef {
	w, bit := ix.pairs[key/64], uint64(1)<<(key%64)
	if w&bit == 0 {
		return nil
	}
	return ix.lists[int(ix.rank[key/64])+bits.OnesCount64(w&(bit-1))]
}

func pair(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

// cases returns b in lower and upper case when it is an ASCII letter, and b otherwise.
func cases(b byte) []byte {
	switch {
	case b >= 'a' && b <= 'z':
		return []byte{b, b - 'a' + 'A'}
	case b >= 'A' && b <= 'Z':
		return []byte{b + 'a' - 'A', b}
	}
	return []byte{b}
}

// scan returns the set of patterns (bit i for patterns[i]) with a keyword in s.
func (ix *keywordIndex) scan(s string) uint64 {
	var found uint64
	for i := 0; i+1 < len(s); i++ {
		for _, r := range ix.list(pair(s[i], s[i+1])) {
			if found&(1<<r.pattern) != 0 || len(s)-i < len(r.keyword) {
				continue
			}
			w := s[i : i+len(r.keyword)]
			if w == r.keyword || r.fold && strings.EqualFold(w, r.keyword) {
				found |= 1 << r.pattern
			}
		}
	}
	return found
}

// Find returns the credentials of known formats in s, a text taken from the Finder's corpus, in order
// of position, without overlaps.
func (f *Finder) Find(s string) []Match {
	if len(f.patterns) == 0 {
		return nil
	}
	return f.find(s, keywords.scan(s))
}

// find is Find with found, the patterns with a keyword in s (keywords.scan).
func (f *Finder) find(s string, found uint64) []Match {
	var out []Match
	var lower string
	for _, p := range f.patterns {
		// mayMatch is a cheap necessary condition, except for a case-insensitive pattern in text
		// that is not ASCII (strings.ToLower and the regexp fold case differently): such a pattern,
		// when it is the only one, goes straight to its regexp, as it always did.
		if (!p.fold || len(f.patterns) > 1) && !p.mayMatch(s, found, &lower) {
			continue
		}
		for _, loc := range p.findAll(s) {
			start, end := loc[0], loc[1]
			if len(loc) >= 4 && loc[2] >= 0 {
				start, end = loc[2], loc[3]
			}
			secret := s[start:end]
			if p.bounded && (start > 0 && isTokenByte(s[start-1]) || end < len(s) && isTokenByte(s[end])) {
				continue
			}
			if p.entropy > 0 && entropy(secret[min(p.show, len(secret)):]) < p.entropy {
				continue
			}
			if p.valid != nil && !p.valid(secret, s[loc[0]:loc[1]]) {
				continue
			}
			if overlaps(out, start, end) {
				continue
			}
			out = append(out, Match{Pattern: p, Start: start, End: end, Masked: p.mask(secret)})
		}
	}
	sortMatches(out)
	return out
}

// findAll returns the matches of the pattern's regexp in s, as FindAllStringSubmatchIndex does. When
// every match starts with a keyword, it tries the regexp only where a keyword starts, in order.
func (p *Pattern) findAll(s string) [][]int {
	if p.lead == nil {
		return p.re.FindAllStringSubmatchIndex(s, -1)
	}
	var out [][]int
	for pos := 0; pos < len(s); {
		k := p.nextKeyword(s, pos)
		if k < 0 {
			break
		}
		loc := p.lead.FindStringSubmatchIndex(s[k:])
		if loc == nil {
			pos = k + 1
			continue
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += k
			}
		}
		out = append(out, loc)
		pos = loc[1] // not empty: the match holds a keyword
	}
	return out
}

// nextKeyword returns the offset of the first keyword in s at or after pos, or -1.
func (p *Pattern) nextKeyword(s string, pos int) int {
	next := -1
	for _, k := range p.keywords {
		if i := strings.Index(s[pos:], k); i >= 0 && (next < 0 || pos+i < next) {
			next = pos + i
		}
	}
	return next
}

// Contains reports whether s holds a credential of a known format.
func Contains(s string) bool { return len(Find(s)) > 0 }

// mayMatch reports whether the pattern may match s: the text holds what every match holds. found
// are the patterns with a keyword in s (keywords.scan); lower is s in lower case, made on first use.
func (p *Pattern) mayMatch(s string, found uint64, lower *string) bool {
	if p.requires != "" && !strings.Contains(s, p.requires) {
		return false
	}
	if p.precheck != nil && !p.precheck(s) {
		return false
	}
	if !p.fold {
		return found&p.bit != 0
	}
	if *lower == "" {
		*lower = strings.ToLower(s)
	}
	for _, k := range p.keywords {
		if strings.Contains(*lower, k) {
			return true
		}
	}
	return false
}

// mask describes a credential of this pattern without revealing it.
func (p *Pattern) mask(secret string) string {
	n := strconv.Itoa(len(secret)) + " chars"
	switch {
	case p.ID == "private-key":
		kind := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(secret, "-----BEGIN"), "PRIVATE KEY-----"))
		if kind == "" {
			return "PEM block"
		}
		return kind + " PEM block"
	case p.show > 0 && p.show < len(secret):
		return secret[:p.show] + "… (" + n + ")"
	}
	return "(" + n + ")"
}

// Mask describes an arbitrary secret value without revealing it: its length only.
func Mask(secret string) string {
	return "(" + strconv.Itoa(len(secret)) + " chars)"
}

func isTokenByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '-'
}

func overlaps(ms []Match, start, end int) bool {
	for _, m := range ms {
		if start < m.End && m.Start < end {
			return true
		}
	}
	return false
}

func sortMatches(ms []Match) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Start < ms[j-1].Start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// hasUserinfoPassword reports whether some "://" in s is followed by user:password@ (before the next
// slash, space or quote), so that the URL regexp runs only where it can match.
func hasUserinfoPassword(s string) bool {
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			return false
		}
		s = s[i+3:]
		colon := false
	scan:
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case ':':
				colon = true
			case '@':
				if colon {
					return true
				}
				break scan
			case '/', ' ', '\t', '\n', '"', '\'':
				break scan
			}
		}
	}
}

// hasNpmrcValue reports whether some _authToken, _auth or _password in s is followed by = and a value
// of eight characters or more, so that the npmrc-auth regexp runs only where it can match: not for
// the usual _authToken=${NPM_TOKEN}.
func hasNpmrcValue(s string) bool {
	const space = "\t\n\f\r " // \s
	for _, k := range []string{"_authToken", "_auth", "_password"} {
		for rest := s; ; {
			i := strings.Index(rest, k)
			if i < 0 {
				break
			}
			rest = rest[i+len(k):]
			v, ok := strings.CutPrefix(strings.TrimLeft(rest, space), "=")
			if !ok {
				continue
			}
			v = strings.TrimLeft(v, space)
			if v != "" && (v[0] == '"' || v[0] == '\'') {
				v = v[1:]
			}
			if len(v) >= 8 && !strings.ContainsAny(v[:8], space+`"'$\`) {
				return true
			}
		}
	}
	return false
}

// printfVerb matches a format verb standing in for a value ("%s").
var printfVerb = regexp.MustCompile(`%[-+# 0-9.]*[sdvqx]`)

// validURLPassword rejects URL passwords that are no secret: variable references ($TOKEN, ${TOKEN},
// $(cat ...), {{ .Token }}), printf verbs, placeholders, and hosts reserved for documentation.
func validURLPassword(pw, match string) bool {
	if pw == "" || strings.ContainsAny(pw, "${}<>`") || printfVerb.MatchString(pw) {
		return false
	}
	at := strings.LastIndexByte(match, '@')
	host := strings.ToLower(match[at+1:])
	for _, doc := range []string{"example.com", "example.org", "example.net", "example"} {
		if host == doc || strings.HasSuffix(host, "."+doc) {
			return false
		}
	}
	return !IsPlaceholder(pw)
}

// placeholders are values that stand in for a credential.
var placeholders = set(
	"password", "passwd", "pass", "pwd", "secret", "token", "user", "username", "login", "dummy",
	"placeholder", "fake", "example", "sample", "none", "null", "nil", "undefined", "unset", "todo",
	"tbd", "redacted", "replaceme", "replace_me", "your_password", "yourpassword",
	"your-password", "your_token", "your-token", "mypassword", "my_password", "true", "false", "yes",
	"no", "on", "off", "-", "...", "test", "guest", "demo",
)

// IsPlaceholder reports whether a literal value is an obvious stand-in rather than a credential:
// "dummy", "placeholder", "xxxx", "****", "<token>", "{{ .Token }}", "your_token_here", booleans.
func IsPlaceholder(v string) bool {
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`))
	if v == "" {
		return true
	}
	if _, ok := placeholders[v]; ok {
		return true
	}
	if allSame(v) {
		return true // xxxxx, *****, 00000, ....., 1
	}
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") ||
		strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}") ||
		strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		return true
	}
	if strings.HasPrefix(v, "your") && (strings.HasSuffix(v, "here") || strings.Contains(v, "token") || strings.Contains(v, "password") || strings.Contains(v, "key")) {
		return true
	}
	for _, marker := range []string{"placeholder", "dummy", "replace_me", "replaceme", "redacted", "example"} {
		if strings.Contains(v, marker) {
			return true
		}
	}
	return false
}

func allSame(v string) bool {
	for i := 1; i < len(v); i++ {
		if v[i] != v[0] {
			return false
		}
	}
	return true
}
