package rules

import (
	"errors"

	"github.com/tightlip/tightlip/shellflow"
)

// TL201 finds RUN instructions that write a secret, or data derived from it, into a file that stays in
// the layer.
var TL201 = &Rule{
	ID:       "TL201",
	Name:     "secret-run-write",
	Severity: Error,
	Summary:  "a RUN writes a secret into a file that stays in the image layer",
	Doc: `A secret mount keeps a credential out of the image only as long as nothing copies it out of the
mount: whatever a RUN writes to the filesystem outside its mounts is committed to the layer when the
RUN ends, and anyone who pulls the image can read it.

The rule follows the secrets of each RUN through its shell script (shell form, exec form with
` + "`sh -c`" + `, heredocs; see package shellflow for the analysis and its limits):

- the file of each secret mount (` + "`/run/secrets/<id>`" + ` or the mount's ` + "`target`" + `) and its ` + "`env=`" + ` variable;
- build arguments in scope whose name says they hold a credential (` + "`NPM_TOKEN`, `*_PASSWORD`" + `), unless
  their default is a placeholder or a path;
- files that an earlier instruction of the stage left holding a credential, and files mounted from
  another stage (` + "`--mount=from=`" + `) that hold one there.

It reports every write of secret-derived data (redirections, ` + "`tee`, `cp`, `install`, `sed -i`" + `,
command substitution into files, environment dumps such as ` + "`env > file`" + `, inline interpreter code)
to a path that outlives the RUN. Writes under tmpfs, secret, SSH and bind mounts, and files removed
later in the same RUN, are not reported; passing a secret to a command as an argument or in its
environment (` + "`curl -H \"Authorization: Bearer $(cat /run/secrets/t)\"`" + `, ` + "`npm ci`" + ` with ` + "`NPM_TOKEN`" + ` set) is
the intended use and is not reported either.

Writes into a cache mount are reported as warnings: they are not in the image, but persist across
builds in the builder's cache, where any later build that mounts the same cache reads them.

The severity follows the stage: an error in the final stage and the stages it is built FROM (their
layers are the image), a warning in a named stage that only ` + "`--target`" + ` exports, nothing in a builder
stage that other stages copy from (TL301 reports a COPY --from that carries the file into the image).
A file that a later RUN removes is TL202's; the write of a credential-storing command (` + "`docker login`" + `,
` + "`npm config set`" + `) is TL203's.

Limits: programs are opaque, so a program that reads a secret from its environment and writes it to a
file of its choosing is not seen (inline interpreter code that names the variable is); text a script
builds and runs with eval is not analysed; paths that depend on the base image (a USER's home
directory other than /root or /home/<user>, variables the base image sets) are guessed. A RUN without
secrets is analysed only when it can matter to TL202, TL203 or TL301.

A RUN that uses secrets but cannot be analysed (a SHELL that is not a POSIX shell, a script that does
not parse, text that the script builds and runs with eval) gets an info finding.

**Fix:** remove the file in the same RUN that writes it, or write it to a tmpfs mount
(` + "`--mount=type=tmpfs,target=/tmp/auth`" + `), or let the tool read the secret mount directly
(` + "`--mount=type=secret,id=npmrc,target=/root/.npmrc`" + `).`,
	Bad: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci`,
	Good: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc`,
	Check: checkSecretRunWrite,
}

func checkSecretRunWrite(pass *Pass) {
	pass.flow().eachRun(pass.File.Stages, func(rf *runFlow, sev Severity, where string, exported bool) {
		reportUnanalysed(pass, rf)
		for _, o := range rf.writes {
			switch {
			case o.cache:
				pass.Report(Finding{Range: o.rng, Severity: Warning, Subject: redact(o.path), Message: redact(o.what + " is written to " + o.path + " by " + byHow(o.how) +
					" in a cache mount: it persists across builds in the builder's cache; keep it out of the cache mount or remove it in the same RUN")})
			case o.removedBy != nil || !exported:
			default:
				pass.Report(Finding{Range: o.rng, Severity: sev, Subject: redact(o.path), Message: redact(o.what + " is written to " + o.path + " by " + byHow(o.how) +
					" and stays in " + where + "; remove the file in the same RUN, or write it to a tmpfs mount")})
			}
		}
	})
}

// reportUnanalysed reports, as info, a RUN that uses secrets but was not (fully) analysed.
func reportUnanalysed(pass *Pass, rf *runFlow) {
	if !rf.hasSecrets {
		return
	}
	in := rf.run.Inst
	switch {
	case rf.skip != "":
		pass.Report(Finding{Range: in.Range, Severity: Info, Message: redact("RUN uses secrets but is not checked for secret writes: " + rf.skip)})
	case rf.err != nil:
		msg := rf.err.Error()
		var pe *shellflow.ParseError
		if errors.As(rf.err, &pe) {
			msg = pe.Msg
		}
		pass.Report(Finding{Range: in.Range, Severity: Info, Message: redact("RUN uses secrets but its script does not parse (" + msg + "); secret writes are not checked")})
	case rf.res != nil:
		seen := make(map[string]bool)
		for _, n := range rf.res.Unsupported {
			if seen[n.Msg] {
				continue
			}
			seen[n.Msg] = true
			rng := rf.rangeOf(n.Pos)
			if sc := rf.run.Script; sc != nil && sc.Shebang != "" && n.Pos.Line == 1 {
				rng = in.Range // the whole script is for another interpreter
			}
			pass.Report(Finding{Range: rng, Severity: Info, Message: redact("RUN uses secrets and part of it is not checked for secret writes: " + n.Msg)})
		}
	}
}
