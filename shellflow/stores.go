package shellflow

import (
	"path"
	"slices"
	"strings"
	"sync"
)

// storeRule is one row of the table of credential-storing commands.
type storeRule struct {
	tool string // the name findings use
	cmds string // command names, space-separated
	// sub is the leading operands (after options) that select the
	// subcommand, space-separated: "registry login".
	sub string
	// valued lists the options of the command line that take a value, so
	// that their values are not taken for operands.
	valued string
	// when, if set, must accept the command line too: npm config set
	// stores a credential only for some keys.
	when func(sc *storeCall) bool
	// file is the file the command writes, absolute or relative to the
	// working directory.
	file func(sc *storeCall) string
	// undoes, for commands such as docker logout, lists the tools whose
	// stores in file the command takes back, separated by "|".
	undoes string
}

// storeRules lists the commands that store a credential in a file. Each
// row's file function follows the tool's documented lookup order: command
// line option, environment variable, default under $HOME.
var storeRules = []storeRule{
	{tool: "docker login", cmds: "docker", sub: "login", valued: dockerOpts, file: dockerConfig},
	{tool: "docker logout", cmds: "docker", sub: "logout", valued: dockerOpts, file: dockerConfig, undoes: "docker login|crane auth login|oras login|az acr login"},
	{tool: "helm registry login", cmds: "helm", sub: "registry login", valued: helmOpts, file: helmRegistryConfig},
	{tool: "helm registry logout", cmds: "helm", sub: "registry logout", valued: helmOpts, file: helmRegistryConfig, undoes: "helm registry login"},
	{tool: "helm repo add", cmds: "helm", sub: "repo add", valued: helmOpts, when: hasOpt("--username", "--password", "--password-stdin"), file: helmRepoConfig},
	{tool: "podman login", cmds: "podman", sub: "login", valued: containersOpts, file: containersAuth},
	{tool: "buildah login", cmds: "buildah", sub: "login", valued: containersOpts, file: containersAuth},
	{tool: "skopeo login", cmds: "skopeo", sub: "login", valued: containersOpts, file: containersAuth},
	{tool: "podman logout", cmds: "podman buildah skopeo", sub: "logout", valued: containersOpts, file: containersAuth, undoes: "podman login|buildah login|skopeo login"},
	{tool: "crane auth login", cmds: "crane", sub: "auth login", valued: "-u --username -p --password", file: dockerConfig},
	{tool: "oras login", cmds: "oras", sub: "login", valued: "-u --username -p --password --registry-config", file: orasConfig},
	{tool: "regctl registry login", cmds: "regctl", sub: "registry login", valued: "-u --user -p --pass", file: homeFile(".regctl/config.json")},
	{tool: "npm config set", cmds: "npm", sub: "config set", valued: npmOpts, when: npmAuthSetting, file: npmrc},
	{tool: "npm config set", cmds: "npm", sub: "set", valued: npmOpts, when: npmAuthSetting, file: npmrc},
	{tool: "npm login", cmds: "npm", sub: "login", valued: npmOpts, file: npmrc},
	{tool: "npm login", cmds: "npm", sub: "adduser", valued: npmOpts, file: npmrc},
	{tool: "npm login", cmds: "npm", sub: "add-user", valued: npmOpts, file: npmrc},
	{tool: "npm logout", cmds: "npm", sub: "logout", valued: npmOpts, file: npmrc, undoes: "npm login|npm config set"},
	{tool: "yarn config set", cmds: "yarn", sub: "config set", valued: "--cwd", when: yarnAuthSetting, file: yarnrc},
	{tool: "yarn npm login", cmds: "yarn", sub: "npm login", valued: "-s --scope --cwd", file: homeFile(".yarnrc.yml")},
	{tool: "yarn npm logout", cmds: "yarn", sub: "npm logout", valued: "-s --scope --cwd", file: homeFile(".yarnrc.yml"), undoes: "yarn npm login"},
	{tool: "pnpm config set", cmds: "pnpm", sub: "config set", valued: npmOpts, when: npmAuthSetting, file: pnpmrc},
	{tool: "pnpm config set", cmds: "pnpm", sub: "set", valued: npmOpts, when: npmAuthSetting, file: pnpmrc},
	{tool: "pnpm login", cmds: "pnpm", sub: "login", valued: npmOpts, file: pnpmrc},
	{tool: "git config credential.helper store", cmds: "git", sub: "config", valued: gitOpts, when: gitHelperStore, file: gitCredentials},
	{tool: "git config url.insteadOf", cmds: "git", sub: "config", valued: gitOpts, when: gitInsteadOf, file: gitConfigFile},
	{tool: "git config http.extraHeader", cmds: "git", sub: "config", valued: gitOpts, when: gitExtraHeader, file: gitConfigFile},
	{tool: "git credential approve", cmds: "git", sub: "credential approve", valued: gitOpts, file: gitCredentials},
	{tool: "git credential approve", cmds: "git", sub: "credential-store store", valued: gitOpts, file: gitCredentials},
	{tool: "git clone", cmds: "git", sub: "clone", valued: gitOpts, when: gitCloneCredential, file: gitCloneConfig},
	{tool: "git remote add", cmds: "git", sub: "remote add", valued: gitOpts, when: gitRemoteCredential, file: gitRepoConfig},
	{tool: "git remote set-url", cmds: "git", sub: "remote set-url", valued: gitOpts, when: gitRemoteCredential, file: gitRepoConfig},
	{tool: "git remote set-url", cmds: "git", sub: "remote set-url", valued: gitOpts, file: gitRepoConfig, undoes: gitRemoteStores},
	{tool: "git remote remove", cmds: "git", sub: "remote remove", valued: gitOpts, file: gitRepoConfig, undoes: gitRemoteStores},
	{tool: "git remote remove", cmds: "git", sub: "remote rm", valued: gitOpts, file: gitRepoConfig, undoes: gitRemoteStores},
	{tool: "git config --unset", cmds: "git", sub: "config", valued: gitOpts, when: gitUnsetCredential, file: gitConfigFile, undoes: "git config http.extraHeader|git config url.insteadOf"},
	{tool: "composer config", cmds: "composer", sub: "config", valued: "-f --file -d --working-dir", when: composerAuthSetting, file: composerAuth},
	{tool: "composer config", cmds: "composer", sub: "global config", valued: "-f --file -d --working-dir", when: composerAuthSetting, file: composerAuth},
	{tool: "aws configure set", cmds: "aws", sub: "configure set", valued: awsOpts, when: awsCredentialKey, file: awsCredentials},
	{tool: "aws configure", cmds: "aws", sub: "configure", valued: awsOpts, when: operandCount(1), file: awsCredentials},
	{tool: "aws configure import", cmds: "aws", sub: "configure import", valued: awsOpts + " --csv", file: awsCredentials},
	{tool: "gcloud auth activate-service-account", cmds: "gcloud", sub: "auth activate-service-account", valued: gcloudOpts, file: gcloudConfig},
	{tool: "gcloud auth login", cmds: "gcloud", sub: "auth login", valued: gcloudOpts, file: gcloudConfig},
	{tool: "gcloud auth application-default login", cmds: "gcloud", sub: "auth application-default login", valued: gcloudOpts, file: gcloudConfig},
	{tool: "gcloud auth configure-docker", cmds: "gcloud", sub: "auth configure-docker", valued: gcloudOpts, file: dockerConfig},
	{tool: "az login", cmds: "az", sub: "login", valued: azOpts, file: azureConfig},
	{tool: "az acr login", cmds: "az", sub: "acr login", valued: azOpts, file: dockerConfig},
	{tool: "pip config set", cmds: "pip", sub: "config set", valued: "--editor", when: pipCredentialSetting, file: pipConf},
	{tool: "poetry config", cmds: "poetry", sub: "config", valued: "-C --directory -P --project", when: poetryCredentialSetting, file: poetryAuth},
	{tool: "gem signin", cmds: "gem", sub: "signin", valued: "--host --otp", file: homeFile(".gem/credentials")},
	{tool: "gem sources --add", cmds: "gem", sub: "sources", valued: "-a --add -r --remove", when: gemSourceCredential, file: homeFile(".gemrc")},
	{tool: "bundle config", cmds: "bundle bundler", sub: "config", valued: "", when: bundleCredentialSetting, file: bundleConfig},
	{tool: "cargo login", cmds: "cargo", sub: "login", valued: "--registry", file: cargoCredentials},
	{tool: "gh auth login", cmds: "gh", sub: "auth login", valued: "-h --hostname -p --git-protocol -s --scopes", file: ghHosts},
	{tool: "gh auth logout", cmds: "gh", sub: "auth logout", valued: "-h --hostname -u --user", file: ghHosts, undoes: "gh auth login"},
	{tool: "kubectl config set-credentials", cmds: "kubectl", sub: "config set-credentials", valued: "--kubeconfig --context --token --username --password --client-certificate --client-key --auth-provider --auth-provider-arg --exec-command --exec-api-version --exec-arg --exec-env", file: kubeconfig},
	{tool: "huggingface-cli login", cmds: "huggingface-cli", sub: "login", valued: "--token", file: hfToken},
	{tool: "huggingface-cli logout", cmds: "huggingface-cli", sub: "logout", valued: "--token-name", file: hfToken, undoes: "huggingface-cli login|hf auth login"},
	{tool: "hf auth login", cmds: "hf", sub: "auth login", valued: "--token", file: hfToken},
	{tool: "hf auth logout", cmds: "hf", sub: "auth logout", valued: "--token-name", file: hfToken, undoes: "huggingface-cli login|hf auth login"},
	{tool: "terraform login", cmds: "terraform", sub: "login", file: homeFile(".terraform.d/credentials.tfrc.json")},
	{tool: "vault login", cmds: "vault", sub: "login", valued: "-address -method -path -field -format -namespace", when: vaultStores, file: homeFile(".vault-token")},
	{tool: "dotnet nuget add source", cmds: "dotnet", sub: "nuget add source", valued: nugetOpts, when: hasOpt("-p", "--password"), file: nugetConfig},
	{tool: "dotnet nuget update source", cmds: "dotnet", sub: "nuget update source", valued: nugetOpts, when: hasOpt("-p", "--password"), file: nugetConfig},
	{tool: "nuget sources add", cmds: "nuget", sub: "sources", valued: "", when: nugetPassword, file: nugetConfig},
	{tool: "mc alias set", cmds: "mc", sub: "alias set", valued: "--api --path", file: homeFile(".mc/config.json")},
	{tool: "mc config host add", cmds: "mc", sub: "config host add", valued: "--api --lookup", file: homeFile(".mc/config.json")},
	{tool: "doctl auth init", cmds: "doctl", sub: "auth init", valued: "-t --access-token --context -c --config", file: xdgConfigFile("doctl/config.yaml")},
}

// gitRemoteStores are the stores of a credential in a remote's URL.
const gitRemoteStores = "git clone|git remote add|git remote set-url"

// Options that take a value, per tool, as far as the matching needs them.
const (
	dockerOpts     = "--config -c --context -H --host -l --log-level --tlscacert --tlscert --tlskey -u --username -p --password"
	helmOpts       = "--registry-config --repository-config --repository-cache --kube-context --kubeconfig -n --namespace --username --password --cert-file --key-file --ca-file"
	containersOpts = "--authfile -u --username -p --password --cert-dir --root --runroot --storage-driver --storage-opt --url --connection --identity"
	npmOpts        = "--userconfig --globalconfig --location -L --registry --scope --auth-type -w --workspace --prefix --cache --loglevel"
	// gitOpts serves every git subcommand in the table: global options,
	// then those of config, clone and remote.
	gitOpts = "-C -c --git-dir --work-tree --namespace --config-env -f --file --blob --type --default --comment --value " +
		"-b --branch -o --origin --depth --reference --template -j --jobs --filter --separate-git-dir --shallow-since --shallow-exclude -u --upload-pack --config -t -m"
	awsOpts    = "--profile --region --output --endpoint-url --cli-read-timeout --cli-connect-timeout"
	gcloudOpts = "--project --account --configuration --key-file --cred-file --credential-file-override --verbosity --impersonate-service-account --scopes --client-id-file"
	azOpts     = "-u --username -p --password -t --tenant --service-principal --identity --federated-token -n --name --subscription -o --output --query"
	nugetOpts  = "-n --name -u --username -p --password --valid-authentication-types --configfile --protocol-version"
)

// storeCall is a command line being matched against storeRules.
type storeCall struct {
	*call
	a      *analyzer
	st     *state
	valued string
	opts   opts
	ops    []arg // operands after sub
}

// storeRulesByCmd lists the rows of storeRules by command name, in table order.
var storeRulesByCmd = sync.OnceValue(func() map[string][]*storeRule {
	m := make(map[string][]*storeRule)
	for i := range storeRules {
		r := &storeRules[i]
		for _, cmd := range strings.Fields(r.cmds) {
			m[cmd] = append(m[cmd], r)
		}
	}
	return m
})

// storeTool reports whether some row of storeRules is about the command.
func storeTool(name string) bool {
	switch name {
	case "docker", "helm", "podman", "buildah", "skopeo", "crane", "oras", "regctl", "npm", "yarn", "pnpm",
		"git", "composer", "aws", "gcloud", "az", "pip", "poetry", "gem", "bundle", "bundler", "cargo", "gh",
		"kubectl", "huggingface-cli", "hf", "terraform", "vault", "dotnet", "nuget", "mc", "doctl":
		return true
	}
	return false
}

func (sc *storeCall) getenv(name string) (string, bool) {
	v, ok := sc.a.getenv(sc.st, sc.call, name)
	return v, ok && v != ""
}

func (sc *storeCall) home() string { return sc.a.progHome(sc.st, sc.call) }

func (sc *storeCall) abs(p string) string { return sc.a.abs(sc.st, p) }

// opt returns the value of an option of the command line.
func (sc *storeCall) opt(names ...string) (string, bool) {
	v, ok := sc.opts.value(names...)
	return v.s, ok
}

// storeCmd reports the credential store c performs, if any.
func (a *analyzer) storeCmd(st *state, c *call, name string) {
	extra := a.extraStores(name)
	if !storeTool(name) && extra == nil {
		return
	}
	rules := storeRulesByCmd()[name]
	if extra != nil {
		rules = append(slices.Clip(rules), extra...)
	}
	// A row matches only when its subcommand's first word is an operand: most command lines (npm ci,
	// git checkout) can be told apart without parsing their options.
	if !slices.ContainsFunc(rules, func(r *storeRule) bool {
		first, _, _ := strings.Cut(r.sub, " ")
		return first == "" || slices.ContainsFunc(c.args[1:], func(ar arg) bool { return ar.s == first })
	}) {
		return
	}
	var sc *storeCall
	for _, r := range rules {
		if sc == nil || sc.valued != r.valued {
			sc = &storeCall{call: c, a: a, st: st, opts: parseOpts(c.args[1:], r.valued, false), valued: r.valued}
		}
		n, match := 0, true
		for sub := r.sub; sub != "" && match; n++ {
			var s string
			s, sub, _ = strings.Cut(sub, " ")
			match = n < len(sc.opts.ops) && sc.opts.ops[n].s == s
		}
		if !match {
			continue
		}
		sc.ops = sc.opts.ops[n:]
		if r.when != nil && !r.when(sc) {
			continue
		}
		a.stored(st, c, r, a.abs(st, r.file(sc)))
		return
	}
}

func (a *analyzer) stored(st *state, c *call, r *storeRule, p string) {
	if r.undoes != "" {
		for k := range st.pending {
			if k.path == p && slices.Contains(strings.Split(r.undoes, "|"), k.how) {
				delete(st.wpending(), k)
			}
		}
		return
	}
	f := c.fact(r.tool)
	t := c.argTaint() | st.in
	k := wkey{path: p, pos: c.pos, how: r.tool}
	i, ok := a.seenStore[k]
	if !ok {
		i = len(a.stores)
		if a.seenStore == nil {
			a.seenStore = make(map[wkey]int)
		}
		a.seenStore[k] = i
		a.stores = append(a.stores, &Store{Tool: r.tool, Pos: c.pos, Path: a.display(p), Cache: a.isCache(p), Text: c.text.String()})
	}
	s := a.stores[i]
	for _, n := range a.names(t) {
		if !slices.Contains(s.Secrets, n) {
			s.Secrets = append(s.Secrets, n)
		}
	}
	a.event(false, p, f)
	if !a.isEphemeral(p) {
		k.store = i + 1
		st.wpending()[k] = write{cache: a.isCache(p), dest: a.display(p), text: c.text.String()}
	}
	if t != 0 {
		a.write(st, p, t, true, f)
	}
}

// --- matchers -------------------------------------------------------------------

func hasOpt(names ...string) func(*storeCall) bool {
	return func(sc *storeCall) bool { return sc.opts.has(names...) }
}

// operandCount accepts command lines with at most n operands in all (aws
// configure, but not aws configure list).
func operandCount(n int) func(*storeCall) bool {
	return func(sc *storeCall) bool { return len(sc.opts.ops) <= n }
}

// keyValue returns the key and value of "KEY VALUE" or "KEY=VALUE".
func (sc *storeCall) keyValue() (key string, value arg, ok bool) {
	if len(sc.ops) == 0 {
		return "", arg{}, false
	}
	k := sc.ops[0]
	if len(sc.ops) > 1 {
		return k.s, sc.ops[1], true
	}
	if key, v, ok := strings.Cut(k.s, "="); ok {
		return key, arg{val: val{s: v, t: k.t}, pos: k.pos}, true
	}
	return k.s, arg{}, false
}

// envReference reports whether s is only a reference to an environment
// variable, which tools such as npm expand when they read their
// configuration: "${NPM_TOKEN}" stores no credential.
func envReference(v arg) bool {
	s := v.s
	return v.t == 0 && strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && !strings.ContainsAny(s[2:len(s)-1], "${}")
}

// urlCredential reports whether s is a URL with a password or a
// secret-derived user in it (https://user:pass@host, https://$TOKEN@host).
func urlCredential(s string, t taint) bool {
	i := strings.Index(s, "://")
	if i < 0 {
		return false
	}
	auth := s[i+3:]
	if j := strings.IndexByte(auth, '/'); j >= 0 {
		auth = auth[:j]
	}
	at := strings.LastIndexByte(auth, '@')
	if at < 0 {
		return false
	}
	user, pass, hasPass := strings.Cut(auth[:at], ":")
	return hasPass && pass != "" || t != 0 && user != ""
}

func npmAuthSetting(sc *storeCall) bool {
	key, v, ok := sc.keyValue()
	if !ok || envReference(v) {
		return false
	}
	k := strings.ToLower(key)
	return strings.Contains(k, "_auth") || strings.Contains(k, "_password") || strings.HasSuffix(k, "token") ||
		v.t != 0 || urlCredential(v.s, v.t)
}

func yarnAuthSetting(sc *storeCall) bool {
	key, v, ok := sc.keyValue()
	if !ok || envReference(v) {
		return false
	}
	switch key {
	case "npmAuthToken", "npmAuthIdent", "npmRegistries", "npmScopes":
		return true
	}
	return npmAuthSetting(sc)
}

func gitKeyValue(sc *storeCall) (string, arg, bool) {
	ops := sc.ops
	if len(ops) > 0 && (ops[0].s == "set" || ops[0].s == "--add") {
		ops = ops[1:]
	}
	if len(ops) < 2 || sc.opts.has("--unset", "--unset-all", "--get", "--get-all", "--list", "-l", "--remove-section") {
		return "", arg{}, false
	}
	return strings.ToLower(ops[0].s), ops[1], true
}

func gitHelperStore(sc *storeCall) bool {
	key, v, ok := gitKeyValue(sc)
	if !ok {
		return false
	}
	helper := key == "credential.helper" || strings.HasPrefix(key, "credential.") && strings.HasSuffix(key, ".helper")
	return helper && strings.HasPrefix(strings.TrimSpace(v.s), "store")
}

func gitInsteadOf(sc *storeCall) bool {
	if len(sc.ops) == 0 || sc.opts.has("--unset", "--unset-all", "--get", "--get-all", "--get-regexp", "--remove-section") || sc.ops[0].s == "unset" {
		return false
	}
	k := sc.ops[0]
	if k.s == "set" || k.s == "--add" {
		if len(sc.ops) < 2 {
			return false
		}
		k = sc.ops[1]
	}
	lower := strings.ToLower(k.s)
	for _, suffix := range []string{".insteadof", ".pushinsteadof"} {
		if strings.HasPrefix(lower, "url.") && strings.HasSuffix(lower, suffix) && len(k.s) > len("url.")+len(suffix) {
			return urlCredential(k.s[len("url."):len(k.s)-len(suffix)], k.t)
		}
	}
	return false
}

// gitUnsetCredential: git config --unset of a setting that holds a
// credential.
func gitUnsetCredential(sc *storeCall) bool {
	ops := sc.ops
	unset := sc.opts.has("--unset", "--unset-all")
	if len(ops) > 0 && (ops[0].s == "unset") {
		unset, ops = true, ops[1:]
	}
	if !unset || len(ops) == 0 {
		return false
	}
	key := strings.ToLower(ops[0].s)
	return strings.HasPrefix(key, "http.") && strings.HasSuffix(key, ".extraheader") ||
		strings.HasPrefix(key, "url.") && strings.HasSuffix(key, "insteadof")
}

func gitExtraHeader(sc *storeCall) bool {
	key, v, ok := gitKeyValue(sc)
	if !ok || !strings.HasPrefix(key, "http.") || !strings.HasSuffix(key, ".extraheader") {
		return false
	}
	return v.t != 0 || strings.Contains(strings.ToLower(v.s), "authorization")
}

// gitRepo is the working tree git -C … runs in.
func gitRepo(sc *storeCall) string {
	if d, ok := sc.opt("-C"); ok {
		return sc.abs(d)
	}
	return sc.st.cwd
}

func gitConfigFile(sc *storeCall) string {
	if f, ok := sc.opt("-f", "--file"); ok {
		return f
	}
	switch {
	case sc.opts.has("--global"):
		if f, ok := sc.getenv("GIT_CONFIG_GLOBAL"); ok {
			return f
		}
		return sc.home() + "/.gitconfig"
	case sc.opts.has("--system"):
		if f, ok := sc.getenv("GIT_CONFIG_SYSTEM"); ok {
			return f
		}
		return "/etc/gitconfig"
	}
	return gitRepo(sc) + "/.git/config"
}

func gitCredentials(sc *storeCall) string {
	if _, v, ok := gitKeyValue(sc); ok {
		// credential.helper "store --file=PATH"
		fields := strings.Fields(v.s)
		for i, f := range fields {
			if p, ok := strings.CutPrefix(f, "--file="); ok {
				return p
			}
			if f == "--file" && i+1 < len(fields) {
				return fields[i+1]
			}
		}
	}
	if f, ok := sc.opt("--file"); ok {
		return f
	}
	return sc.home() + "/.git-credentials"
}

// gitCloneCredential: a URL with a credential, or a credential in a
// setting given to clone with -c, ends up in the clone's .git/config. (git -c
// … clone, before the subcommand, is not stored.)
func gitCloneCredential(sc *storeCall) bool {
	if len(sc.ops) > 0 && urlCredential(sc.ops[0].s, sc.ops[0].t) {
		return true
	}
	for _, c := range sc.opts.values("-c", "--config") {
		if afterClone(sc, c) && (c.t != 0 || strings.Contains(strings.ToLower(c.s), "authorization") || urlCredential(c.s, c.t)) {
			return true
		}
	}
	return false
}

// afterClone reports whether the option value v comes after "clone".
func afterClone(sc *storeCall, v arg) bool {
	for i, a := range sc.args {
		if a.s == "clone" {
			return slices.ContainsFunc(sc.args[i+1:], func(b arg) bool { return b.pos == v.pos })
		}
	}
	return false
}

func gitCloneDir(ops []arg) string {
	if len(ops) > 1 {
		return ops[1].s
	}
	if len(ops) == 0 {
		return "."
	}
	u := strings.TrimSuffix(strings.TrimSuffix(ops[0].s, "/"), ".git")
	if i := strings.LastIndexAny(u, "/:"); i >= 0 {
		u = u[i+1:]
	}
	return u
}

func gitCloneConfig(sc *storeCall) string {
	d := gitCloneDir(sc.ops)
	if !strings.HasPrefix(d, "/") {
		d = gitRepo(sc) + "/" + d
	}
	return d + "/.git/config"
}

func gitRemoteCredential(sc *storeCall) bool {
	ops := sc.ops
	return len(ops) >= 2 && urlCredential(ops[1].s, ops[1].t)
}

func gitRepoConfig(sc *storeCall) string { return gitRepo(sc) + "/.git/config" }

func composerAuthSetting(sc *storeCall) bool {
	if len(sc.ops) == 0 || sc.opts.has("--unset") {
		return false
	}
	k := sc.ops[0].s
	for _, p := range []string{"github-oauth.", "gitlab-oauth.", "gitlab-token.", "http-basic.", "bearer.", "bitbucket-oauth.", "forgejo-token."} {
		if strings.HasPrefix(k, p) {
			return len(sc.ops) > 1
		}
	}
	return false
}

func awsCredentialKey(sc *storeCall) bool {
	if len(sc.ops) < 1 {
		return false
	}
	k := sc.ops[0].s
	k = k[strings.LastIndexByte(k, '.')+1:]
	return k == "aws_access_key_id" || k == "aws_secret_access_key" || k == "aws_session_token"
}

func pipCredentialSetting(sc *storeCall) bool {
	_, v, ok := sc.keyValue()
	return ok && (v.t != 0 || urlCredential(v.s, v.t))
}

func poetryCredentialSetting(sc *storeCall) bool {
	if len(sc.ops) < 2 || sc.opts.has("--unset") {
		return false
	}
	k := sc.ops[0].s
	return strings.HasPrefix(k, "http-basic.") || strings.HasPrefix(k, "pypi-token.")
}

func gemSourceCredential(sc *storeCall) bool {
	for _, v := range sc.opts.values("-a", "--add") {
		if urlCredential(v.s, v.t) {
			return true
		}
	}
	return false
}

func bundleCredentialSetting(sc *storeCall) bool {
	ops := sc.ops
	if len(ops) > 0 && ops[0].s == "set" {
		ops = ops[1:]
	}
	if len(ops) < 2 || sc.opts.has("--delete") {
		return false
	}
	k := ops[0].s
	if strings.HasPrefix(k, "build.") || strings.HasPrefix(k, "mirror.") || strings.HasPrefix(k, "local.") {
		return false
	}
	return strings.Contains(k, ".") || strings.HasPrefix(k, "BUNDLE_") && strings.Contains(k, "__") || ops[1].t != 0
}

// vaultStores: vault login keeps the token unless told not to. (Vault's
// flags are single-dash long options, which parseOpts does not know.)
func vaultStores(sc *storeCall) bool {
	for _, a := range sc.args[1:] {
		name, v, _ := strings.Cut(strings.TrimPrefix(a.s, "-"), "=")
		if name == "-no-store" || name == "no-store" || name == "-token-only" || name == "token-only" {
			return v == "false"
		}
	}
	return true
}

func nugetPassword(sc *storeCall) bool {
	if len(sc.ops) == 0 || !strings.EqualFold(sc.ops[0].s, "add") && !strings.EqualFold(sc.ops[0].s, "update") {
		return false
	}
	return slices.ContainsFunc(sc.args, func(a arg) bool { return strings.EqualFold(a.s, "-password") })
}

// --- files ------------------------------------------------------------------------

func homeFile(rel string) func(*storeCall) string {
	return func(sc *storeCall) string { return sc.home() + "/" + rel }
}

func xdgConfigFile(rel string) func(*storeCall) string {
	return func(sc *storeCall) string {
		if d, ok := sc.getenv("XDG_CONFIG_HOME"); ok {
			return d + "/" + rel
		}
		return sc.home() + "/.config/" + rel
	}
}

func dockerConfig(sc *storeCall) string {
	if d, ok := sc.opt("--config"); ok {
		return d + "/config.json"
	}
	if d, ok := sc.getenv("DOCKER_CONFIG"); ok {
		return d + "/config.json"
	}
	return sc.home() + "/.docker/config.json"
}

func orasConfig(sc *storeCall) string {
	if f, ok := sc.opt("--registry-config"); ok {
		return f
	}
	return dockerConfig(sc)
}

func helmRegistryConfig(sc *storeCall) string {
	if f, ok := sc.opt("--registry-config"); ok {
		return f
	}
	if f, ok := sc.getenv("HELM_REGISTRY_CONFIG"); ok {
		return f
	}
	return xdgConfigFile("helm/registry/config.json")(sc)
}

func helmRepoConfig(sc *storeCall) string {
	if f, ok := sc.opt("--repository-config"); ok {
		return f
	}
	if f, ok := sc.getenv("HELM_REPOSITORY_CONFIG"); ok {
		return f
	}
	return xdgConfigFile("helm/repositories.yaml")(sc)
}

// containersAuth follows containers-auth.json(5): --authfile,
// REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json, and for root
// without XDG_RUNTIME_DIR /run/containers/0/auth.json.
func containersAuth(sc *storeCall) string {
	if f, ok := sc.opt("--authfile"); ok {
		return f
	}
	if f, ok := sc.getenv("REGISTRY_AUTH_FILE"); ok {
		return f
	}
	if d, ok := sc.getenv("XDG_RUNTIME_DIR"); ok {
		return d + "/containers/auth.json"
	}
	if h := sc.home(); h != "/root" {
		return h + "/.config/containers/auth.json"
	}
	return "/run/containers/0/auth.json"
}

func npmrc(sc *storeCall) string {
	if f, ok := sc.opt("--userconfig"); ok {
		return f
	}
	loc, _ := sc.opt("--location", "-L")
	switch {
	case loc == "project":
		return sc.st.cwd + "/.npmrc"
	case loc == "global" || sc.opts.has("-g", "--global"):
		if f, ok := sc.opt("--globalconfig"); ok {
			return f
		}
		prefix := "/usr/local"
		if p, ok := sc.opt("--prefix"); ok {
			prefix = p
		}
		return prefix + "/etc/npmrc"
	}
	for _, name := range []string{"NPM_CONFIG_USERCONFIG", "npm_config_userconfig"} {
		if f, ok := sc.getenv(name); ok {
			return f
		}
	}
	return sc.home() + "/.npmrc"
}

// pnpmrc: pnpm config set writes the global rc file
// ($XDG_CONFIG_HOME/pnpm/rc), or .npmrc with --location project.
func pnpmrc(sc *storeCall) string {
	if loc, _ := sc.opt("--location", "-L"); loc == "project" {
		return sc.st.cwd + "/.npmrc"
	}
	if path.Base(sc.args[0].s) == "pnpm" && len(sc.opts.ops) > 0 && sc.opts.ops[0].s == "login" {
		return sc.home() + "/.npmrc"
	}
	return xdgConfigFile("pnpm/rc")(sc)
}

// yarnrc: Yarn 2+ settings (npmAuthToken …) go to the project's .yarnrc.yml,
// or the home one with -H; Yarn 1 settings go to ~/.yarnrc.
func yarnrc(sc *storeCall) string {
	key, _, _ := sc.keyValue()
	if strings.HasPrefix(key, "npm") {
		if sc.opts.has("-H", "--home") {
			return sc.home() + "/.yarnrc.yml"
		}
		return sc.st.cwd + "/.yarnrc.yml"
	}
	return sc.home() + "/.yarnrc"
}

func composerAuth(sc *storeCall) string {
	if f, ok := sc.opt("-f", "--file"); ok {
		return f
	}
	if !sc.opts.has("-g", "--global") && sc.opts.ops[0].s != "global" {
		dir := sc.st.cwd
		if d, ok := sc.opt("-d", "--working-dir"); ok {
			dir = sc.abs(d)
		}
		return dir + "/auth.json"
	}
	if d, ok := sc.getenv("COMPOSER_HOME"); ok {
		return d + "/auth.json"
	}
	return sc.home() + "/.composer/auth.json"
}

func awsCredentials(sc *storeCall) string {
	if f, ok := sc.getenv("AWS_SHARED_CREDENTIALS_FILE"); ok {
		return f
	}
	return sc.home() + "/.aws/credentials"
}

func gcloudConfig(sc *storeCall) string {
	if d, ok := sc.getenv("CLOUDSDK_CONFIG"); ok {
		return d
	}
	return xdgConfigFile("gcloud")(sc)
}

func azureConfig(sc *storeCall) string {
	if d, ok := sc.getenv("AZURE_CONFIG_DIR"); ok {
		return d
	}
	return sc.home() + "/.azure"
}

func pipConf(sc *storeCall) string {
	if f, ok := sc.getenv("PIP_CONFIG_FILE"); ok && f != "/dev/null" {
		return f
	}
	switch {
	case sc.opts.has("--global"):
		return "/etc/pip.conf"
	case sc.opts.has("--site"):
		if d, ok := sc.getenv("VIRTUAL_ENV"); ok {
			return d + "/pip.conf"
		}
		return sc.a.sym("$VIRTUAL_ENV") + "/pip.conf"
	}
	return xdgConfigFile("pip/pip.conf")(sc)
}

func poetryAuth(sc *storeCall) string {
	if sc.opts.has("--local") {
		return sc.st.cwd + "/poetry.toml"
	}
	if d, ok := sc.getenv("POETRY_CONFIG_DIR"); ok {
		return d + "/auth.toml"
	}
	return xdgConfigFile("pypoetry/auth.toml")(sc)
}

// bundleConfig: bundle config set --local writes the application's
// .bundle/config; otherwise the user's ~/.bundle/config.
func bundleConfig(sc *storeCall) string {
	if sc.opts.has("--local") {
		if d, ok := sc.getenv("BUNDLE_APP_CONFIG"); ok {
			return d + "/config"
		}
		return sc.st.cwd + "/.bundle/config"
	}
	if f, ok := sc.getenv("BUNDLE_USER_CONFIG"); ok {
		return f
	}
	return sc.home() + "/.bundle/config"
}

func cargoCredentials(sc *storeCall) string {
	if d, ok := sc.getenv("CARGO_HOME"); ok {
		return d + "/credentials.toml"
	}
	return sc.home() + "/.cargo/credentials.toml"
}

func ghHosts(sc *storeCall) string {
	if d, ok := sc.getenv("GH_CONFIG_DIR"); ok {
		return d + "/hosts.yml"
	}
	return xdgConfigFile("gh/hosts.yml")(sc)
}

func kubeconfig(sc *storeCall) string {
	if f, ok := sc.opt("--kubeconfig"); ok {
		return f
	}
	if f, ok := sc.getenv("KUBECONFIG"); ok {
		f, _, _ = strings.Cut(f, ":")
		return f
	}
	return sc.home() + "/.kube/config"
}

func hfToken(sc *storeCall) string {
	if f, ok := sc.getenv("HF_TOKEN_PATH"); ok {
		return f
	}
	if d, ok := sc.getenv("HF_HOME"); ok {
		return d + "/token"
	}
	if d, ok := sc.getenv("XDG_CACHE_HOME"); ok {
		return d + "/huggingface/token"
	}
	return sc.home() + "/.cache/huggingface/token"
}

func nugetConfig(sc *storeCall) string {
	if f, ok := sc.opt("--configfile"); ok {
		return f
	}
	return sc.home() + "/.nuget/NuGet/NuGet.Config"
}

// extraStores returns the rows for the Spec's extra store commands named name, nil when none is.
func (a *analyzer) extraStores(name string) []*storeRule {
	var out []*storeRule
	for _, sc := range a.spec.Stores {
		if len(sc.Words) == 0 || sc.Words[0] != name {
			continue
		}
		r := &storeRule{tool: strings.Join(sc.Words, " "), cmds: name, sub: strings.Join(sc.Words[1:], " "),
			valued: strings.Join(sc.ValuedOptions, " ")}
		if rel, ok := strings.CutPrefix(sc.File, "~/"); ok {
			r.file = homeFile(rel)
		} else {
			file := sc.File
			r.file = func(*storeCall) string { return file }
		}
		out = append(out, r)
	}
	return out
}
