package rules

import (
	"strings"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
)

// TL110 finds credentials of known formats written anywhere in the Dockerfile.
var TL110 = &Rule{
	ID:       "TL110",
	Name:     "secret-value",
	Severity: Error,
	Summary:  "a credential of a known format is written in the Dockerfile",
	Doc: `A credential written in the Dockerfile is in version control and in every copy of the build
definition, and BuildKit copies instruction text into the image: ENV and LABEL values into the
configuration, ARG values and RUN command lines into the image history, heredoc bodies into files.

The rule looks for credentials whose format is known, in every instruction (ARG and ENV values, LABEL
values, RUN commands and heredocs, ADD URLs, COPY heredocs, …):

- GitHub tokens (` + "`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`" + `), GitLab tokens (` + "`glpat-`" + ` and others), npm (` + "`npm_`" + `), PyPI (` + "`pypi-AgEIcHlwaS5vcmc…`" + `), Docker Hub (` + "`dckr_pat_`" + `)
- AWS access key IDs (` + "`AKIA…`, `ASIA…`" + `) and secret access keys next to their name
- Slack tokens (` + "`xoxb-`, …" + `) and webhook URLs, Stripe live keys (` + "`sk_live_`, `rk_live_`" + `), Google API keys (` + "`AIza…`" + `), OpenAI, Anthropic, SendGrid, Hugging Face, DigitalOcean, Shopify, Vault and Azure storage keys
- private key blocks (` + "`-----BEGIN … PRIVATE KEY-----`" + ` followed by key material), JSON Web Tokens
- passwords in URLs (` + "`https://user:password@host`" + `), npm ` + "`_authToken=`" + ` values, Docker config ` + "`\"auth\"`" + ` values and literal ` + "`Authorization:`" + ` headers

Each pattern requires the format's fixed prefix and length, and random-looking content where the
format allows, so that digests, checksums, GPG fingerprints, UUIDs and base64 data are not taken for
credentials. Variable references (` + "`${TOKEN}`, `$TOKEN`, `$(cat /run/secrets/x)`" + `), placeholders and
documentation examples (` + "`AKIAIOSFODNN7EXAMPLE`" + `, hosts under example.com) are not reported. Comments are
not scanned. Messages show at most the format's public prefix and the length, never the value.

**Fix:** revoke the credential: it is in the repository's history. Then pass it to the build as a
secret (` + "`docker build --secret`" + ` and ` + "`RUN --mount=type=secret`" + `).

` + patternTable(),
	Bad: `RUN git clone https://x-access-token:ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr@github.com/acme/app.git`,
	Good: `RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/app.git`,
	Check: checkSecretValue,
}

func checkSecretValue(pass *Pass) {
	finder := credential.NewFinder(pass.File.Source())
	for _, in := range pass.File.Instructions {
		scan(pass, finder, in, in.Text, false)
		for _, h := range in.Heredocs {
			scan(pass, finder, in, h.Content, true)
		}
	}
}

func scan(pass *Pass, finder *credential.Finder, in *model.Instruction, t model.Text, heredoc bool) {
	s := t.String()
	for _, m := range finder.Find(s) {
		if pass.Config.allowedValue(s[m.Start:m.End]) {
			continue
		}
		pass.ReportSubject(t.Range(m.Start, m.End), m.Pattern.ID, "%s %s written %s; revoke it and pass it as a build secret (--mount=type=secret)",
			m.Pattern.Name, m.Masked, where(in, heredoc))
	}
	for _, vf := range pass.Config.ExtraValues {
		for _, loc := range vf.Pattern.FindAllStringIndex(s, -1) {
			v := s[loc[0]:loc[1]]
			if pass.Config.allowedValue(v) {
				continue
			}
			pass.ReportSubject(t.Range(loc[0], loc[1]), vf.ID, "%s %s written %s; revoke it and pass it as a build secret (--mount=type=secret)",
				vf.name(), credential.Mask(v), where(in, heredoc))
		}
	}
}

// patternTable documents the credential format table (credential.Patterns) in Markdown.
func patternTable() string {
	var b strings.Builder
	b.WriteString("### Formats\n\n| ID | Credential | Source |\n| --- | --- | --- |\n")
	for _, p := range credential.Patterns() {
		src, _, _ := strings.Cut(p.Source, " ")
		b.WriteString("| `" + p.ID + "` | " + p.Name + " | <" + src + "> |\n")
	}
	return b.String()
}
