package rules

// TL301 finds COPY --from instructions that copy a file holding a credential from another stage into an
// exported one.
var TL301 = &Rule{
	ID:       "TL301",
	Name:     "secret-stage-copy",
	Severity: Error,
	Summary:  "COPY --from copies a file that holds a credential from another stage into the image",
	Doc: `A multi-stage build keeps a builder's secrets out of the image only as long as nothing copies them:
` + "`COPY --from=build /app /app`" + ` copies the whole directory, including the ` + "`.npmrc`" + ` that a RUN of
the builder wrote from a secret to install dependencies.

The rule follows, stage by stage, the files that hold a credential: files a RUN writes from a secret mount
or a credential build arg, files of credential-storing commands (` + "`docker login`, `npm config set`" + `, …), credential
files copied from the build context or an image, files a RUN creates under a credential file's name, and
the copies of all of these in other stages (through ` + "`FROM <stage>`" + ` and ` + "`COPY --from`" + `); files removed
before the end of the stage no longer count. It reports a ` + "`COPY --from=<stage>`" + ` whose source is such a
file, or a directory or glob that contains one, when the destination stage is exported: an error in the
final stage and the stages it is built FROM, a warning in a named stage that only ` + "`--target`" + ` exports. A copy
into another builder stage is followed further, not reported. Files whose name alone says they may hold
a credential are warnings.

Builder stages that hold a credential but hand on only build results (` + "`COPY --from=build /out/app /app`" + `)
are not reported: their layers are not part of the image. The RUN that leaves the credential in a stage
that is exported is TL201's, and so is a RUN that copies such a file out of a ` + "`--mount=from=<stage>`" + `
mount.

**Fix:** copy only what the image needs (the build output, not the working directory), or remove the
file in the RUN that writes it; better, never write it: mount the secret where the tool looks for it.`,
	Bad: `FROM node:22 AS build
WORKDIR /app
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
FROM node:22-slim
COPY --from=build /app /app`,
	Good: `FROM node:22 AS build
WORKDIR /app
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && npm run build
FROM node:22-slim
COPY --from=build /app/dist /app`,
	Check: checkSecretStageCopy,
}

func checkSecretStageCopy(pass *Pass) {
	fl := pass.flow()
	for _, cr := range fl.carries {
		sev, _, ok := fl.exposure(cr.to.stage)
		if !ok {
			continue
		}
		into := "the image"
		if sev == Warning {
			_, where, _ := fl.exposure(cr.to.stage)
			into = where
		}
		maybe := true
		var files []string
		var removed *carried
		for i, f := range cr.files {
			maybe = maybe && f.origin.maybe
			files = append(files, f.srcPath+" ("+f.origin.describe()+")")
			if f.copied.removedBy != nil && removed == nil {
				removed = &cr.files[i]
			}
		}
		if maybe {
			sev = Warning
		}
		kw := cr.copy.Inst.Keyword + " --from=" + cr.copy.From
		var msg string
		if len(files) == 1 {
			f := cr.files[0]
			msg = kw + " copies " + f.srcPath + ", which holds " + f.origin.describe() + ", into " + into
		} else {
			msg = kw + " " + cr.src.Raw + " copies files that hold credentials into " + into + ": " + list(files)
		}
		if removed != nil {
			msg += "; removing " + removed.dest + " at line " + itoa(removed.copied.removedBy.Range.Start.Line) + " does not take it out of this layer"
		}
		pass.Report(Finding{Range: cr.src.Range, Severity: sev, Subject: redact(cr.src.Raw), Message: redact(msg + "; copy only what the image needs, or remove the file in the stage that writes it")})
	}
}
