package rules

import (
	"github.com/tightlip/tightlip/credential"
)

// TL103 finds credentials passed to the build as build arguments.
var TL103 = &Rule{
	ID:       "TL103",
	Name:     "secret-build-arg",
	Severity: Warning,
	Summary:  "a credential is passed as a build argument instead of a secret",
	Doc: `Build arguments are not secret. BuildKit records the values of the build arguments in scope in the
image history of every RUN that follows the ARG (` + "`docker history`" + ` shows them), includes them in
provenance attestations, and a RUN that writes the value anywhere persists it in a layer.

The rule reports an ARG declared in a stage whose name says it holds a credential (` + "`NPM_TOKEN`, `GH_PAT`, `*_API_KEY`, `*_PASSWORD`, …" + `)
and that has no literal default (a literal default is TL102). The finding names the ARG so that a
rewrite can replace it with a secret mount of the RUN instructions that use it.

Global ARGs (before the first FROM) are only visible to FROM lines and are not reported.

**Fix:** pass the value with ` + "`docker build --secret id=npm_token,env=NPM_TOKEN`" + ` and read it in the
step that needs it with ` + "`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN`" + `.`,
	Bad: `ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc`,
	Good: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc`,
	Check: checkSecretBuildArg,
}

func checkSecretBuildArg(pass *Pass) {
	for _, st := range pass.File.Stages {
		for _, v := range st.Args {
			if !credential.IsName(v.Name) || v.HasValue && isLiteralCredential(v) {
				continue
			}
			pass.Reportf(v.Range, "build arg %s carries a credential: its value is recorded in the image history and provenance; use %s", v.Name, secretMountHint(v.Name))
		}
	}
}
