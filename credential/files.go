package credential

import (
	"bufio"
	"bytes"
	"math/bits"
	"path"
	"regexp"
	"strings"
)

// Verdict says whether a file holds a credential.
type Verdict int

const (
	// NotCredential: the file holds no credential.
	NotCredential Verdict = iota
	// MaybeCredential: the name suggests a credential, but only the content could tell (a *.pem may be a
	// certificate), or the content cannot be checked.
	MaybeCredential
	// Credential: the file holds a credential.
	Credential
)

func (v Verdict) String() string {
	switch v {
	case NotCredential:
		return "not a credential"
	case MaybeCredential:
		return "maybe a credential"
	case Credential:
		return "credential"
	}
	return "Verdict(?)"
}

// FileKind is a kind of file that holds credentials, recognised by its name.
type FileKind struct {
	// ID is a short stable identifier ("npmrc").
	ID string
	// Desc says what the file holds ("npm registry credentials").
	Desc string
	// Secret is how the file is handed to a build instead: the --mount option to suggest.
	Secret string

	names []string // path.Match patterns for the base name
	paths []string // path.Match patterns for the trailing path elements ("**/" is implied)
	not   []string // path.Match patterns for base names that are not of this kind

	nameMatch, notMatch []matcher     // compiled names and not
	pathMatch           []pathMatcher // compiled paths
	// check reads the content; nil means the file is a credential whatever it holds.
	check func(content []byte) Verdict
	// unknown is the verdict when the content cannot be read.
	unknown Verdict
}

const (
	mountSSH = "--mount=type=ssh"
)

func secretMount(id, target string) string {
	return "--mount=type=secret,id=" + id + ",target=" + target
}

// fileKinds is the table of credential files, most specific first: the first kind whose name patterns
// match decides.
var fileKinds = []*FileKind{
	// Package registries.
	{ID: "npmrc", Desc: "npm registry credentials", Secret: secretMount("npmrc", "/root/.npmrc"),
		names: []string{".npmrc", "npmrc"}, check: checkNpmrc, unknown: MaybeCredential},
	{ID: "yarnrc", Desc: "Yarn registry credentials", Secret: secretMount("yarnrc", "/root/.yarnrc.yml"),
		names: []string{".yarnrc", ".yarnrc.yml"}, check: checkYarnrc, unknown: MaybeCredential},
	{ID: "pypirc", Desc: "PyPI credentials", Secret: secretMount("pypirc", "/root/.pypirc"),
		names: []string{".pypirc"}, check: checkKeyValue(`(?m)^\s*password\s*[=:]\s*(\S+)`), unknown: MaybeCredential},
	{ID: "pip-conf", Desc: "pip index credentials", Secret: secretMount("pipconf", "/etc/pip.conf"),
		names: []string{"pip.conf", "pip.ini"}, check: checkValues, unknown: NotCredential},
	{ID: "gem-credentials", Desc: "RubyGems credentials", Secret: secretMount("gem", "/root/.gem/credentials"),
		paths: []string{".gem/credentials"}, unknown: Credential},
	{ID: "cargo-credentials", Desc: "Cargo registry token", Secret: secretMount("cargo", "/root/.cargo/credentials.toml"),
		paths: []string{".cargo/credentials", ".cargo/credentials.toml"}, unknown: Credential},
	{ID: "composer-auth", Desc: "Composer credentials", Secret: secretMount("composer_auth", "/root/.composer/auth.json"),
		names: []string{"auth.json"}, check: checkKeyValue(`"password"\s*:\s*"([^"]+)"|"(?:github-oauth|gitlab-token|gitlab-oauth|bitbucket-oauth|bearer)"\s*:\s*\{\s*"[^"]+"\s*:\s*"([^"]+)"`), unknown: MaybeCredential},
	{ID: "maven-settings", Desc: "Maven repository credentials", Secret: secretMount("m2settings", "/root/.m2/settings.xml"),
		paths: []string{".m2/settings.xml", ".m2/settings-security.xml"}, check: checkKeyValue(`<password>\s*([^<$\s][^<]*)</password>`), unknown: MaybeCredential},
	{ID: "maven-settings-file", Desc: "Maven repository credentials", Secret: secretMount("m2settings", "/root/.m2/settings.xml"),
		names: []string{"settings.xml", "settings-security.xml"}, check: checkKeyValue(`<password>\s*([^<$\s][^<]*)</password>`), unknown: NotCredential},
	{ID: "gradle-properties", Desc: "Gradle credentials", Secret: secretMount("gradle", "/root/.gradle/gradle.properties"),
		names: []string{"gradle.properties"}, check: checkAssignments, unknown: NotCredential},
	{ID: "nuget-config", Desc: "NuGet feed credentials", Secret: secretMount("nuget", "/root/.nuget/NuGet/NuGet.Config"),
		names: []string{"nuget.config", "NuGet.Config", "NuGet.config"}, check: checkKeyValue(`(?i)<add\s+key="(?:ClearText)?Password"\s+value="([^"$%]+)"`), unknown: NotCredential},

	// Git, SSH, GnuPG.
	{ID: "git-credentials", Desc: "Git credentials", Secret: secretMount("git_credentials", "/root/.git-credentials"),
		names: []string{".git-credentials", "git-credentials"}, check: checkValues, unknown: Credential},
	{ID: "netrc", Desc: "netrc login credentials", Secret: secretMount("netrc", "/root/.netrc"),
		names: []string{".netrc", "_netrc"}, check: checkKeyValue(`(?:^|\s)password\s+(\S+)`), unknown: Credential},
	{ID: "ssh-private-key", Desc: "SSH private key", Secret: mountSSH,
		names: []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", "*_rsa", "*_dsa", "*_ecdsa", "*_ed25519"},
		check: checkPrivateKey, unknown: Credential},
	{ID: "ssh-dir", Desc: "SSH directory (keys)", Secret: mountSSH,
		names: []string{".ssh"}, unknown: MaybeCredential},
	{ID: "gnupg-secret", Desc: "GnuPG secret keys", Secret: secretMount("gpg_key", "/run/secrets/gpg_key"),
		names: []string{"secring.gpg", "secring.kbx"}, paths: []string{"private-keys-v1.d/*"}, unknown: Credential},
	{ID: "gnupg-dir", Desc: "GnuPG home (secret keys)", Secret: secretMount("gpg_key", "/run/secrets/gpg_key"),
		names: []string{".gnupg"}, unknown: MaybeCredential},
	{ID: "gh-hosts", Desc: "GitHub CLI token", Secret: secretMount("gh_token", "/run/secrets/gh_token"),
		paths: []string{".config/gh/hosts.yml"}, check: checkKeyValue(`(?m)oauth_token:\s*(\S+)`), unknown: MaybeCredential},

	// Cloud providers and infrastructure tools.
	{ID: "aws-credentials", Desc: "AWS credentials", Secret: secretMount("aws", "/root/.aws/credentials"),
		paths: []string{".aws/credentials"}, check: checkKeyValue(`(?mi)^\s*aws_(?:secret_access_key|session_token)\s*=\s*(\S+)`), unknown: Credential},
	{ID: "gcloud-adc", Desc: "Google Cloud credentials", Secret: secretMount("gcloud", "/root/.config/gcloud/application_default_credentials.json"),
		names: []string{"application_default_credentials.json"}, paths: []string{".config/gcloud/credentials.db", ".config/gcloud/access_tokens.db", ".config/gcloud/legacy_credentials/*"}, unknown: Credential},
	{ID: "terraform-credentials", Desc: "Terraform Cloud token", Secret: secretMount("tfrc", "/root/.terraform.d/credentials.tfrc.json"),
		names: []string{"credentials.tfrc.json"}, unknown: Credential},
	{ID: "terraformrc", Desc: "Terraform CLI credentials", Secret: secretMount("terraformrc", "/root/.terraformrc"),
		names: []string{".terraformrc", "terraform.rc"}, check: checkKeyValue(`(?m)token\s*=\s*"([^"$]+)"`), unknown: MaybeCredential},
	{ID: "terraform-state", Desc: "Terraform state (may hold secrets)", Secret: "a remote backend",
		names: []string{"*.tfstate", "*.tfstate.backup"}, check: func([]byte) Verdict { return MaybeCredential }, unknown: MaybeCredential},
	{ID: "tfvars", Desc: "Terraform variables with credentials", Secret: secretMount("tfvars", "/run/secrets/tfvars"),
		names: []string{"*.tfvars", "*.auto.tfvars"}, check: checkAssignments, unknown: NotCredential},
	{ID: "pulumi-credentials", Desc: "Pulumi access token", Secret: secretMount("pulumi", "/root/.pulumi/credentials.json"),
		paths: []string{".pulumi/credentials.json"}, unknown: Credential},
	{ID: "azure-tokens", Desc: "Azure CLI tokens", Secret: secretMount("azure", "/root/.azure/msal_token_cache.json"),
		paths: []string{".azure/accessTokens.json", ".azure/msal_token_cache.json", ".azure/msal_token_cache.bin"}, unknown: Credential},
	{ID: "kubeconfig", Desc: "Kubernetes credentials", Secret: secretMount("kubeconfig", "/root/.kube/config"),
		names: []string{"kubeconfig", "*.kubeconfig", "kubeconfig.y*ml"}, paths: []string{".kube/config"},
		check: checkKeyValue(`(?m)^\s*(?:token|client-key-data|password|client-key|id-token|refresh-token):\s*["']?([^\s"'$]+)`), unknown: MaybeCredential},
	{ID: "docker-config", Desc: "Docker registry credentials", Secret: secretMount("docker_config", "/root/.docker/config.json"),
		names: []string{".dockercfg"}, paths: []string{".docker/config.json"}, check: checkValues, unknown: MaybeCredential},
	{ID: "vault-token", Desc: "Vault token", Secret: secretMount("vault_token", "/root/.vault-token"),
		names: []string{".vault-token"}, unknown: Credential},
	{ID: "s3cfg", Desc: "S3 client credentials", Secret: secretMount("s3cfg", "/root/.s3cfg"),
		names: []string{".s3cfg", ".boto", ".passwd-s3fs", "passwd-s3fs"}, check: checkKeyValue(`(?m)(?:secret_key|aws_secret_access_key)\s*=\s*(\S+)|^[^:#\s]+:(\S{20,})$`), unknown: MaybeCredential},
	{ID: "service-account-key", Desc: "service account key", Secret: secretMount("sa_key", "/run/secrets/sa_key.json"),
		names: []string{"*service-account*.json", "*service_account*.json", "*serviceaccount*.json", "*-sa-key.json", "sa-key.json", "keyfile.json", "key.json", "*credentials*.json", "client_secret*.json", "client-secret*.json"},
		check: checkKeyValue(`"(?:private_key|client_secret|refresh_token)"\s*:\s*"([^"$]+)"`), unknown: MaybeCredential},

	// Application secrets.
	{ID: "rails-master-key", Desc: "Rails master key", Secret: "RAILS_MASTER_KEY from a secret mount (--mount=type=secret,id=master_key,env=RAILS_MASTER_KEY)",
		names: []string{"master.key"}, paths: []string{"config/credentials/*.key"}, unknown: Credential},
	{ID: "dotenv", Desc: "environment file with credentials", Secret: secretMount("dotenv", "/app/.env"),
		names: []string{".env", ".env.*", "*.env", ".envrc"},
		not:   []string{"*.example", "*.example.*", "*.sample", "*.sample.*", "*.template", "*.tpl", "*.dist", "*.schema", "example.env", "sample.env", "template.env", ".env.example*", ".env.sample*", ".env.template*", ".env.dist*", ".env.schema*", ".env.tpl*"},
		check: checkAssignments, unknown: Credential},
	{ID: "secrets-file", Desc: "secrets file", Secret: secretMount("secrets", "/run/secrets/secrets"),
		names: []string{"secrets.yml", "secrets.yaml", "secrets.json", "secrets.toml", "secrets.env", ".secrets", "secrets.properties"},
		check: checkAssignments, unknown: MaybeCredential},
	{ID: "htpasswd", Desc: "password hashes", Secret: secretMount("htpasswd", "/etc/nginx/.htpasswd"),
		names: []string{".htpasswd", "htpasswd"}, unknown: Credential},
	{ID: "pgpass", Desc: "PostgreSQL passwords", Secret: secretMount("pgpass", "/root/.pgpass"),
		names: []string{".pgpass", "pgpass"}, unknown: Credential},
	{ID: "mysql-client-config", Desc: "MySQL client password", Secret: secretMount("mycnf", "/root/.my.cnf"),
		names: []string{".my.cnf", ".mylogin.cnf"}, check: checkKeyValue(`(?m)^\s*password\s*=\s*(\S+)`), unknown: MaybeCredential},

	// Keys and key stores.
	{ID: "pkcs12", Desc: "PKCS#12 key store (private keys)", Secret: secretMount("pkcs12", "/run/secrets/keystore.p12"),
		names: []string{"*.p12", "*.pfx"}, unknown: Credential},
	{ID: "putty-key", Desc: "PuTTY private key", Secret: mountSSH,
		names: []string{"*.ppk"}, unknown: Credential},
	{ID: "keytab", Desc: "Kerberos keytab", Secret: secretMount("keytab", "/etc/krb5.keytab"),
		names: []string{"*.keytab"}, unknown: Credential},
	{ID: "keepass", Desc: "KeePass database", Secret: secretMount("kdbx", "/run/secrets/db.kdbx"),
		names: []string{"*.kdbx"}, unknown: Credential},
	{ID: "java-keystore", Desc: "Java key store (may hold private keys)", Secret: secretMount("keystore", "/run/secrets/keystore.jks"),
		names: []string{"*.jks", "*.keystore", "*.bks"}, not: []string{"cacerts", "truststore.jks", "*truststore*"},
		check: func([]byte) Verdict { return MaybeCredential }, unknown: MaybeCredential},
	{ID: "apple-auth-key", Desc: "Apple API private key", Secret: secretMount("authkey", "/run/secrets/AuthKey.p8"),
		names: []string{"AuthKey_*.p8"}, check: checkPrivateKey, unknown: Credential},
	{ID: "certificate", Desc: "private key in a certificate file", Secret: secretMount("key", "/run/secrets/key.pem"),
		names: []string{"*.crt", "*.cer", "*.pub.pem", "*public*.pem", "*-pub.pem", "*_pub.pem", "*cert*.pem", "ca.pem", "ca-*.pem", "ca_*.pem", "*-ca.pem", "*_ca.pem", "*chain*.pem", "*bundle*.pem", "*public*.key", "*.pub.key"},
		check: checkPrivateKey, unknown: NotCredential},
	{ID: "private-key-file", Desc: "private key", Secret: secretMount("key", "/run/secrets/key.pem"),
		names: []string{"*.pem", "*.key", "*.p8"}, check: checkPrivateKey, unknown: MaybeCredential},
	{ID: "pgp-private-key", Desc: "PGP private key", Secret: secretMount("gpg_key", "/run/secrets/gpg_key"),
		names: []string{"*.asc", "*.gpg"}, check: checkPrivateKey, unknown: NotCredential},
	{ID: "openvpn-config", Desc: "OpenVPN configuration with keys", Secret: secretMount("ovpn", "/run/secrets/client.ovpn"),
		names: []string{"*.ovpn"}, check: checkPrivateKey, unknown: MaybeCredential},
}

// byFirstByte[c] and byLastByte[c] have bit i set when fileKinds[i] has a pattern that can match a
// path whose base name starts, or ends, in byte c: a name pattern that starts with a literal byte
// matches only names that start with it, and a pattern that ends in a literal byte only paths that
// end in it. ClassifyFile tries the kinds in both sets only.
var byFirstByte, byLastByte [256]uint64

func init() {
	if len(fileKinds) > 64 {
		panic("credential: more than 64 file kinds")
	}
	index := func(table *[256]uint64, c byte, i int) {
		switch c {
		case '*', '?', '[', ']', '\\':
			for c := range table {
				table[c] |= 1 << i
			}
		default:
			table[c] |= 1 << i
		}
	}
	for i, k := range fileKinds {
		for _, pat := range k.names {
			index(&byFirstByte, pat[0], i)
		}
		if len(k.paths) > 0 {
			index(&byFirstByte, '*', i) // the path's last elements start before its base name
		}
		for _, pat := range k.Patterns() {
			index(&byLastByte, pat[len(pat)-1], i)
		}
	}
	// Compile the name patterns once; ClassifyFile runs for every file of a build context.
	for _, k := range fileKinds {
		for _, n := range k.names {
			k.nameMatch = append(k.nameMatch, compileMatcher(n))
		}
		for _, n := range k.not {
			k.notMatch = append(k.notMatch, compileMatcher(n))
		}
		for _, p := range k.paths {
			k.pathMatch = append(k.pathMatch, pathMatcher{depth: strings.Count(p, "/") + 1, match: compileMatcher(p)})
		}
	}
}

// matcher matches a base name against one path.Match pattern, without path.Match for the common
// shapes (".npmrc", "*.pem", ".env.*", "*service-account*.json" still goes to path.Match).
type matcher func(string) bool

func compileMatcher(pattern string) matcher {
	const meta = `*?[\`
	switch {
	case !strings.ContainsAny(pattern, meta):
		return func(s string) bool { return s == pattern }
	case pattern[0] == '*' && !strings.ContainsAny(pattern[1:], meta):
		suffix := pattern[1:]
		return func(s string) bool { return strings.HasSuffix(s, suffix) }
	case pattern[len(pattern)-1] == '*' && !strings.ContainsAny(pattern[:len(pattern)-1], meta):
		prefix := pattern[:len(pattern)-1]
		return func(s string) bool { return strings.HasPrefix(s, prefix) }
	case !strings.ContainsAny(pattern, `?[\`):
		// a*b*c: a prefix, a suffix and ordered parts in between.
		parts := strings.Split(pattern, "*")
		first, last, mid := parts[0], parts[len(parts)-1], parts[1:len(parts)-1]
		return func(s string) bool {
			if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
				return false
			}
			s = s[len(first) : len(s)-len(last)]
			for _, m := range mid {
				i := strings.Index(s, m)
				if i < 0 {
					return false
				}
				s = s[i+len(m):]
			}
			return true
		}
	}
	return func(s string) bool {
		ok, _ := path.Match(pattern, s)
		return ok
	}
}

// pathMatcher matches the last depth elements of a path.
type pathMatcher struct {
	depth int
	match matcher
}

// FileKinds returns the table of credential files.
func FileKinds() []*FileKind { return fileKinds }

// Patterns returns the name patterns of the kind: base-name globs, then trailing-path globs.
func (k *FileKind) Patterns() []string {
	return append(append([]string(nil), k.names...), k.paths...)
}

// Exceptions returns the base-name globs that are not of this kind.
func (k *FileKind) Exceptions() []string { return append([]string(nil), k.not...) }

// ReadsContent reports whether the verdict depends on the file's content.
func (k *FileKind) ReadsContent() bool { return k.check != nil }

// Unknown returns the verdict when the content cannot be read.
func (k *FileKind) Unknown() Verdict { return k.unknown }

// ClassifyFile returns the kind of credential file that p (a slash-separated path, relative or
// absolute) names, or nil.
func ClassifyFile(p string) *FileKind {
	p = strings.TrimSuffix(path.Clean("/"+p), "/")
	base := path.Base(p)
	for m := byFirstByte[base[0]] & byLastByte[base[len(base)-1]]; m != 0; m &= m - 1 {
		if k := fileKinds[bits.TrailingZeros64(m)]; k.matches(p, base) {
			return k
		}
	}
	return nil
}

func (k *FileKind) matches(p, base string) bool {
	return k.matchesName(p, base) && !k.excepted(base)
}

func (k *FileKind) matchesName(p, base string) bool {
	for _, m := range k.nameMatch {
		if m(base) {
			return true
		}
	}
	for _, pm := range k.pathMatch {
		if tail, ok := lastElements(p, pm.depth); ok && pm.match(tail) {
			return true
		}
	}
	return false
}

func (k *FileKind) excepted(base string) bool {
	for _, m := range k.notMatch {
		if m(base) {
			return true
		}
	}
	return false
}

// lastElements returns the last n slash-separated elements of p.
func lastElements(p string, n int) (string, bool) {
	i := len(p)
	for ; n > 0; n-- {
		j := strings.LastIndexByte(p[:i], '/')
		if j < 0 {
			return p, n == 1
		}
		if n == 1 {
			return p[j+1:], true
		}
		i = j
	}
	return p, true
}

// Verdict says whether a file of this kind holds a credential. Pass the content when it can be read;
// with content == nil and known == false the verdict rests on the name alone.
func (k *FileKind) Verdict(content []byte, known bool) Verdict {
	if !known {
		return k.unknown
	}
	if k.check == nil {
		if k.unknown == MaybeCredential {
			return MaybeCredential
		}
		return Credential
	}
	return k.check(content)
}

// Checks on file content.

var (
	privateKeyBlock = regexp.MustCompile(`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File|<key>`)
	npmrcAuth       = regexp.MustCompile(`(?m)(?:^|:)\s*(?:_authToken|_auth|_password|//[^\s=]*:_authToken)\s*=\s*(.*)$`)
	yarnrcAuth      = regexp.MustCompile(`(?m)(?:npmAuthToken|npmAuthIdent|_authToken)\s*[:=]\s*(.*)$`)
)

func checkPrivateKey(content []byte) Verdict {
	if privateKeyBlock.Match(content) {
		return Credential
	}
	return NotCredential
}

func checkNpmrc(content []byte) Verdict {
	return literalSubmatch(npmrcAuth, content)
}

func checkYarnrc(content []byte) Verdict {
	return literalSubmatch(yarnrcAuth, content)
}

// checkKeyValue returns a check that finds a credential in submatch 1 (or 2) of re, unless it is a
// variable reference or a placeholder.
func checkKeyValue(expr string) func([]byte) Verdict {
	re := regexp.MustCompile(expr)
	return func(content []byte) Verdict { return literalSubmatch(re, content) }
}

func literalSubmatch(re *regexp.Regexp, content []byte) Verdict {
	for _, m := range re.FindAllSubmatch(content, -1) {
		for _, g := range m[1:] {
			if g != nil && isLiteralSecret(string(g)) {
				return Credential
			}
		}
	}
	if checkValues(content) == Credential {
		return Credential
	}
	return NotCredential
}

// checkValues finds credentials of known formats.
func checkValues(content []byte) Verdict {
	if Contains(string(content)) {
		return Credential
	}
	return NotCredential
}

// checkAssignments reads NAME=value, NAME: value and NAME = "value" lines (dotenv, properties, YAML,
// HCL) and finds a credential-named key with a literal value, or a credential of a known format.
func checkAssignments(content []byte) Verdict {
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "//") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			continue
		}
		key := strings.Trim(strings.TrimSpace(line[:i]), `"'`)
		value := strings.TrimSpace(line[i+1:])
		if j := strings.Index(value, " #"); j >= 0 {
			value = strings.TrimSpace(value[:j])
		}
		if IsName(key) && isLiteralSecret(value) {
			return Credential
		}
	}
	return checkValues(content)
}

// isLiteralSecret reports whether a configured value is written out, not a reference to a variable
// (${TOKEN}, $TOKEN, %TOKEN%, {{ .Token }}, <%= ENV["TOKEN"] %>) nor a placeholder.
func isLiteralSecret(v string) bool {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), ","))
	v = strings.Trim(v, `"'`)
	if v == "" || v == "{" || v == "[" {
		return false
	}
	if strings.HasPrefix(v, "$") || strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") ||
		strings.Contains(v, "{{") || strings.Contains(v, "<%") || strings.HasPrefix(v, "ENC(") ||
		strings.HasPrefix(v, "!vault") || strings.HasPrefix(v, "vault:") {
		return false
	}
	return !IsPlaceholder(v)
}

// PolicyFileKind returns a kind for files that a build policy names as credential files: whatever
// they hold, they are credentials. desc says which policy pattern matched.
func PolicyFileKind(desc string) *FileKind {
	return &FileKind{ID: "policy", Desc: desc, Secret: "--mount=type=secret,id=<id>,target=<path>", unknown: Credential}
}
