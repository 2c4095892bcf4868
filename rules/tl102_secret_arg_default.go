package rules

import (
	"github.com/tightlip/tightlip/model"
)

// TL102 finds ARGs whose default value is a credential written in the Dockerfile.
var TL102 = &Rule{
	ID:       "TL102",
	Name:     "secret-arg-default",
	Severity: Error,
	Summary:  "ARG gives a credential a default value written in the Dockerfile",
	Doc: `A default value of an ARG is part of the Dockerfile, so it is in version control and in every copy of
the build definition; BuildKit also records the values of build arguments in the image history of the
RUN instructions that follow and in provenance attestations. A credential as an ARG default is
therefore leaked twice, even when nobody overrides it.

The rule reports an ARG whose name says it holds a credential and whose default is a literal value
(including the default of ` + "`${X:-default}`" + `). Empty defaults, references to other variables,
placeholders (` + "`dummy`, `placeholder`, `xxxx`" + `) and file paths are not reported; an ARG without a
literal default is the concern of TL103.

**Fix:** revoke the credential, remove the default, and hand the value to the RUN that needs it with a
secret mount.`,
	Bad: `ARG GITHUB_TOKEN=3f9a1c0b7e2d4c5f8a6b9d0e1f2a3b4c5d6e7f80
RUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/private.git`,
	Good: `RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/private.git`,
	Check: checkSecretArgDefault,
}

func checkSecretArgDefault(pass *Pass) {
	check := func(v *model.Var) {
		if v.HasValue && pass.Config.isName(v.Name) && isLiteralCredential(v) {
			pass.ReportSubject(v.Range, v.Name, "ARG %s has a credential as its default, written in the Dockerfile and recorded in the image history; revoke it, remove the default and use %s", v.Name, secretMountHint(v.Name))
		}
	}
	for _, v := range pass.File.MetaArgs {
		check(v)
	}
	for _, st := range pass.File.Stages {
		for _, v := range st.Args {
			check(v)
		}
	}
}
