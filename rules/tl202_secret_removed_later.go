package rules

// TL202 finds credential files that one instruction creates and a later RUN removes.
var TL202 = &Rule{
	ID:       "TL202",
	Name:     "secret-removed-later",
	Severity: Error,
	Summary:  "a credential file is created by one instruction and removed only by a later one",
	Doc: `Every instruction adds a layer, and an image is all of its layers: removing a file in a later RUN
adds a layer in which the file is gone, but the layer of the instruction that created it still holds
it. ` + "`docker save`" + ` or any registry client extracts it in seconds.

The rule reports, at the instruction that creates it, a file holding credential data that a later RUN
of the same stage removes (` + "`rm`, `rm -rf` of a directory above it, `shred -u`, `unlink`" + `, …):

- a file a RUN writes from a secret mount or a credential build arg (what TL201 reports when nothing
  removes it);
- the file of a credential-storing command such as ` + "`docker login`" + ` or ` + "`npm config set`" + ` (TL203's when
  nothing removes it);
- a file a RUN creates under the name of a credential file (` + "`id_rsa`, `.git-credentials`, `.env`" + `; a
  warning, since only its name says it is one);
- a credential file that ` + "`COPY --from=<image>`" + ` or ` + "`ADD <url>`" + ` brings in.

Only removals in the same stage count: a file removed in a stage built FROM this one is still reported
by TL201 or TL203 here. Credential files copied from the build context are reported by TL120 and heredoc files by TL122 wherever
they are removed; files copied from another stage by TL301. Severity follows the stage as for TL201:
an error in the layers of the exported image, a warning in a stage only ` + "`--target`" + ` exports, nothing
in a builder stage.

**Fix:** create, use and remove the file in one RUN, or better, never create it: mount the secret where
the tool looks for it (` + "`--mount=type=secret,id=npmrc,target=/root/.npmrc`" + `, ` + "`--mount=type=ssh`" + ` for Git
over SSH).`,
	Bad: `RUN --mount=type=secret,id=deploy_key mkdir -p /root/.ssh && cat /run/secrets/deploy_key > /root/.ssh/id_ed25519
RUN git clone git@github.com:acme/app.git /app
RUN rm /root/.ssh/id_ed25519`,
	Good:  `RUN --mount=type=ssh git clone git@github.com:acme/app.git /app`,
	Check: checkSecretRemovedLater,
}

func checkSecretRemovedLater(pass *Pass) {
	fl := pass.flow()
	for _, o := range fl.origins {
		if o.removedBy == nil || o.cache {
			continue
		}
		sev, where, ok := fl.exposure(o.stage)
		if !ok {
			continue
		}
		if o.maybe {
			sev = Warning
		}
		later := "removed only by the RUN at line " + itoa(o.removedBy.Range.Start.Line)
		var msg string
		switch o.kind {
		case originWrite:
			msg = o.what + " is written to " + o.path + " by " + byHow(o.how) + " here and " + later
		case originStore:
			msg = o.tool + " stores " + o.what + " in " + o.path + " here, " + later
		case originCreated:
			msg = o.path + " (" + o.what + ") is created here and " + later
		case originImage:
			msg = o.how + " copies " + o.what + " to " + o.path + " here, " + later
		default:
			continue // TL120, TL122 and TL301 report these copies
		}
		pass.Report(Finding{Range: o.rng, Severity: sev, Subject: redact(o.path), Message: redact(msg + ": it stays in " + where +
			"; create, use and remove it in one RUN, or mount it as a secret instead")})
	}
}
