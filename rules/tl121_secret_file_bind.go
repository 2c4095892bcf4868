package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/tightlip/tightlip/credential"
)

// TL121 finds RUN bind mounts of credential files from the build context.
var TL121 = &Rule{
	ID:       "TL121",
	Name:     "secret-file-bind",
	Severity: Warning,
	Summary:  "RUN bind-mounts a credential file from the build context",
	Doc: `A bind mount does not put the file into a layer by itself, but a credential file bind-mounted from the
build context is part of the context: it must not be excluded by .dockerignore, so it is sent to the
builder and is easily copied by a later ` + "`COPY . .`" + `; and anything the command writes next to it
persists. BuildKit has a mount made for credentials: a secret mount reads the file from the client, keeps
it out of the context, and never caches it.

The rule reports ` + "`RUN --mount=type=bind`" + ` from the build context whose source is a credential file
(the same files as TL120; content is checked when the context is available).

**Fix:** use ` + "`--mount=type=secret,id=<id>,target=<path>`" + ` and pass the file with
` + "`docker build --secret id=<id>,src=<file>`" + `; for SSH keys use ` + "`--mount=type=ssh`" + `.`,
	Bad:   `RUN --mount=type=bind,source=.npmrc,target=/root/.npmrc npm ci`,
	Good:  `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`,
	Check: checkSecretFileBind,
}

func checkSecretFileBind(pass *Pass) {
	for _, st := range pass.File.Stages {
		for _, r := range st.Runs {
			for _, m := range r.Mounts {
				if m.Type != instructions.MountTypeBind || m.From != "" || m.Source == "" {
					continue
				}
				p := cleanContextPath(m.Source)
				k := pass.Config.classifyFile(p)
				if k == nil {
					continue
				}
				v := pass.fileVerdict(p, k)
				if v == credential.NotCredential {
					continue
				}
				rng := findIn(r.Inst, "source="+m.Source)
				if rng == r.Inst.Range {
					rng = findIn(r.Inst, "src="+m.Source)
				}
				pass.ReportSubject(rng, p, "RUN bind-mounts %s (%s) from the build context; mount it with %s instead", p, k.Desc, k.Secret)
			}
		}
	}
}
