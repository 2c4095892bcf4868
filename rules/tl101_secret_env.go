package rules

import (
	"github.com/tightlip/tightlip/model"
)

// TL101 finds ENV instructions that put a credential into the image configuration.
var TL101 = &Rule{
	ID:       "TL101",
	Name:     "secret-env",
	Severity: Error,
	Summary:  "ENV stores a credential in the image configuration",
	Doc: `Every ENV instruction becomes part of the image configuration: anyone who can pull the image reads
it with ` + "`docker image inspect`" + `, and it is set in every container started from the image. A
credential in ENV is therefore published with the image, and stays in every image built from it.

The rule reports an ENV whose name says it holds a credential (` + "`NPM_TOKEN`, `DB_PASSWORD`, `*_API_KEY`, …" + `)
and whose value is written in the Dockerfile, and any ENV that copies a credential build argument
(` + "`ENV NPM_TOKEN=$NPM_TOKEN`" + `) into the configuration.

Not reported: empty values, references to variables the Dockerfile does not declare (they come from the
base image), placeholders (` + "`dummy`, `placeholder`, `xxxx`" + `, booleans), and paths that point at a
credential file (` + "`GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp.json`" + `). Names that describe a
credential rather than hold one are not credential names: ` + "`*_FILE`, `*_PATH`, `*_URL`, `*_VERSION`, `PUBLIC_KEY`, `GPG_KEY`, `PASSWORD_MIN_LENGTH`" + `.

**Fix:** a credential needed by one build step belongs in a secret mount of that RUN, where it never
reaches a layer or the configuration; a credential needed at run time is given to the container when it
starts.`,
	Bad: `ARG NPM_TOKEN
ENV NPM_TOKEN=$NPM_TOKEN
RUN npm ci`,
	Good:  `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`,
	Check: checkSecretEnv,
}

func checkSecretEnv(pass *Pass) {
	for _, st := range pass.File.Stages {
		for _, v := range st.Envs {
			credName := pass.Config.isName(v.Name)
			if credName && len(v.Refs) == 0 && isLiteralCredential(v) {
				pass.ReportSubject(v.Range, v.Name, "ENV %s stores a credential in the image config; give it to the container at run time or to one RUN with --mount=type=secret", v.Name)
				continue
			}
			for _, rv := range v.RefVars {
				if rv == nil || rv.Kind != model.Arg || !credName && !pass.Config.isName(rv.Name) {
					continue
				}
				pass.ReportSubject(v.Range, v.Name, "ENV %s copies build arg %s into the image config; use %s in the step that needs it", v.Name, rv.Name, secretMountHint(rv.Name))
				break
			}
		}
	}
}
