package rules

import (
	"path"
	"strings"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
)

// TL120 finds COPY and ADD instructions that copy credential files from the build context.
var TL120 = &Rule{
	ID:       "TL120",
	Name:     "secret-file-copy",
	Severity: Error,
	Summary:  "COPY or ADD copies a credential file from the build context into the image",
	Doc: `A file copied into an image stays in its layer for good: deleting it in a later instruction only hides
it, and anyone who pulls the image can extract it. Credential files from a developer's machine or a CI
checkout (` + "`.npmrc`, `.pypirc`, `.netrc`, `.env`, `.git-credentials`, `.docker/config.json`, kubeconfig, `id_rsa`, private keys, `.aws/credentials`, service account keys, `.terraformrc`, `.vault-token`, `.htpasswd`, …" + `)
are often copied by accident with ` + "`COPY . .`" + `.

The rule reports COPY and ADD sources that name a credential file, and, when the build context is
available, every credential file that a source copies: ` + "`.`" + `, a directory or a glob is resolved
against the context after .dockerignore, and the finding names the files. With the context available the
rule reads the files whose content decides: an ` + "`.npmrc`" + ` without an auth line
(` + "`//registry.npmjs.org/:_authToken=…`, `_auth`, `_password`" + `) or whose token is ` + "`${NPM_TOKEN}`" + ` is no
credential file, a ` + "`.pem`" + ` holding only certificates is none, an ` + "`.env`" + ` without a credential-named
variable with a literal value is none. Without the context, files that may or may not hold credentials
(` + "`*.pem`, `*.key`, `.npmrc`" + `) are reported as warnings. ` + "`.env.example`, `.env.sample`, `.env.template`, `.env.dist`" + `
and ` + "`*.pub`" + ` are never reported. Copies from another stage or image (` + "`COPY --from`" + `) are not this
rule's concern.

**Fix:** list the file in .dockerignore, and hand it to the RUN that needs it with a secret mount, for
example ` + "`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`" + ` (SSH keys: ` + "`--mount=type=ssh`" + `).

` + fileKindTable(),
	Bad: `COPY .npmrc package.json package-lock.json ./
RUN npm ci`,
	Good: `COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`,
	Check: checkSecretFileCopy,
}

func checkSecretFileCopy(pass *Pass) {
	for _, st := range pass.File.Stages {
		for _, c := range st.Copies {
			if c.From != "" {
				continue
			}
			for _, src := range c.Sources {
				if src.IsRemote() {
					continue
				}
				checkCopySource(pass, c, src)
			}
		}
	}
}

// leak is a credential file a source copies.
type leak struct {
	path    string
	kind    *credential.FileKind
	verdict credential.Verdict
}

func checkCopySource(pass *Pass, c *model.Copy, src *model.Source) {
	var leaks []leak
	if pass.Context != nil {
		files, err := pass.credentialFiles()
		if err == nil {
			for _, f := range files {
				if !sourceMatches(src.Path, f.path) || excluded(c.Exclude, f.path) {
					continue
				}
				if v := pass.fileVerdict(f.path, f.kind); v != credential.NotCredential {
					leaks = append(leaks, leak{f.path, f.kind, v})
				}
			}
			reportCopy(pass, c, src, leaks)
			return
		}
	}
	// Judge by name.
	p := cleanContextPath(src.Path)
	if hasGlob(path.Base(p)) {
		if k := globKind(path.Base(p)); k != nil {
			leaks = append(leaks, leak{p, k, credential.MaybeCredential})
		}
	} else if k := pass.Config.classifyFile(p); k != nil {
		if v := k.Verdict(nil, false); v != credential.NotCredential {
			leaks = append(leaks, leak{p, k, v})
		}
	}
	reportCopy(pass, c, src, leaks)
}

func reportCopy(pass *Pass, c *model.Copy, src *model.Source, leaks []leak) {
	if len(leaks) == 0 {
		return
	}
	kw := c.Inst.Keyword
	sev := Warning
	for _, l := range leaks {
		if l.verdict == credential.Credential {
			sev = Error
		}
	}
	if len(leaks) == 1 {
		l := leaks[0]
		if l.verdict == credential.Credential {
			pass.Report(Finding{Range: src.Range, Severity: sev, Subject: l.path, Message: kw + " copies " + l.path + " (" + l.kind.Desc + ") from the build context into the image; add it to .dockerignore and use " + l.kind.Secret + " in the RUN that needs it"})
		} else {
			pass.Report(Finding{Range: src.Range, Severity: sev, Subject: l.path, Message: kw + " may copy " + l.path + " (" + l.kind.Desc + ") into the image; if it holds credentials, add it to .dockerignore and use " + l.kind.Secret})
		}
		return
	}
	names := make([]string, len(leaks))
	for i, l := range leaks {
		names[i] = l.path + " (" + l.kind.Desc + ")"
	}
	pass.Report(Finding{Range: src.Range, Severity: sev, Subject: src.Raw, Message: kw + " " + src.Raw + " copies credential files from the build context into the image: " + list(names) + "; add them to .dockerignore and use secret mounts"})
}

// globKind returns the kind of credential file a glob without the build context may select: the glob
// must select a credential file name and no ordinary file name (so "*" and "*.json" are not reported,
// "*.pem" and ".env*" are).
func globKind(glob string) *credential.FileKind {
	for _, ordinary := range []string{"main.go", "index.js", "package.json", "README.md", "app.py", "notes.txt", "src", "config.yaml", "data.json", "Gemfile", "app.conf", "public"} {
		if ok, _ := path.Match(glob, ordinary); ok {
			return nil
		}
	}
	for _, probe := range []string{".env", ".env.production", ".npmrc", ".pypirc", ".netrc", ".git-credentials", "id_rsa", "id_ed25519", "server.key", "key.pem", "cert.p12", "cert.pfx", "service-account.json", ".htpasswd", ".vault-token"} {
		if ok, _ := path.Match(glob, probe); ok {
			return credential.ClassifyFile(probe)
		}
	}
	return nil
}

// fileKindTable documents the credential file table (credential.FileKinds) in Markdown.
func fileKindTable() string {
	var b strings.Builder
	b.WriteString("### Credential files\n\n")
	b.WriteString("The first row whose names match decides. *Content* says whether the file is read when the build\n")
	b.WriteString("context is available; *without content* is the verdict on the name alone.\n\n")
	b.WriteString("| Files | Holds | Content | Without content |\n| --- | --- | --- | --- |\n")
	for _, k := range credential.FileKinds() {
		names := "`" + strings.Join(k.Patterns(), "`, `") + "`"
		if ex := k.Exceptions(); len(ex) > 0 {
			names += " (not `" + strings.Join(ex, "`, `") + "`)"
		}
		content := "—"
		if k.ReadsContent() {
			content = "read"
		}
		unknown := map[credential.Verdict]string{
			credential.NotCredential:   "not reported",
			credential.MaybeCredential: "warning",
			credential.Credential:      "error",
		}[k.Unknown()]
		b.WriteString("| " + names + " | " + k.Desc + " | " + content + " | " + unknown + " |\n")
	}
	return b.String()
}
