package rules

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
)

// TL401 checks the images a Dockerfile uses against the build policy's list of allowed images.
var TL401 = &Rule{
	ID:       "TL401",
	Name:     "image-not-allowed",
	Severity: Error,
	Summary:  "FROM, COPY --from or RUN --mount=from uses an image the build policy does not allow",
	Doc: `An organisation that builds only on vetted base images lists them in its build policy
(` + "`baseImages.allowed`" + `: registries, paths in a registry, or repositories, docs/policy.md). The rule reports every
image a Dockerfile uses that is not under one of them: the base of a stage (FROM), and the images of
` + "`COPY --from`" + ` and ` + "`RUN --mount=from`" + `. Names are compared as docker normalises them
(` + "`node`" + ` is ` + "`docker.io/library/node`" + `). An image whose name depends on a build argument without
a default cannot be checked and is reported as a warning.

The rule does nothing unless the policy sets ` + "`baseImages.allowed`" + `.

**Fix:** use an image from an allowed registry (a mirror of the image, or the organisation's own base image).`,
	Bad: `# policy: baseImages.allowed: [registry.example.com]
FROM node:22-alpine`,
	Good:  `FROM registry.example.com/base/node:22-alpine`,
	Check: checkImageAllowed,
}

func checkImageAllowed(pass *Pass) {
	if pass.Config.ImageAllowed == nil {
		return
	}
	eachImage(pass.File, func(ref string, r parser.Range, what string) {
		named, ok := parseImage(pass, ref, r, what)
		if !ok {
			return
		}
		if !pass.Config.ImageAllowed(named.Name()) {
			pass.ReportSubject(r, named.Name(), "%s %s is not an allowed image: the build policy (baseImages.allowed) allows other registries or repositories only", what, named.Name())
		}
	})
}

// eachImage calls fn for every image reference of the Dockerfile: stage bases that are not stages or
// scratch, and COPY --from / RUN --mount=from references that are not stages.
func eachImage(f *model.File, fn func(ref string, r parser.Range, what string)) {
	for _, st := range f.Stages {
		switch {
		case st.BaseStage != nil || strings.EqualFold(st.BaseExpanded, "scratch"):
		case st.BaseExpanded == "" && strings.Contains(st.Base, "$"):
			fn(st.Base, st.From.Range, "FROM") // an argument without a value
		default:
			fn(st.BaseExpanded, st.From.Range, "FROM")
		}
	}
	for _, e := range f.Edges {
		if e.From == nil && e.Kind != model.EdgeBase {
			fn(e.Ref, e.Inst.Range, e.Kind.String())
		}
	}
}

// parseImage parses an image reference; one that still holds a variable, or does not parse, is reported
// as a warning and not checked further.
func parseImage(pass *Pass, ref string, r parser.Range, what string) (reference.Named, bool) {
	if strings.Contains(ref, "$") {
		pass.Report(Finding{Range: r, Severity: Warning, Message: fmt.Sprintf(
			"%s %s depends on a build argument without a default, so the build policy's image rules cannot check it; give the argument a default", what, ref)})
		return nil, false
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return nil, false // a named context; BuildKit reports bad references itself
	}
	return named, true
}
