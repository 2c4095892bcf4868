package rules

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
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

In the build, named build contexts (` + "`--build-context NAME=…`" + `, which BuildKit uses in place of an
image or a stage of that name) are checked too: a ` + "`docker-image://`" + ` context must name an allowed image, and
a stage may not start from a context that is no registry image (a local directory, a Git repository, a
URL, an OCI layout, another build's result). ` + "`COPY --from`" + ` and ` + "`RUN --mount=from`" + ` may take files from
such contexts, as from the build context. An exception for such a stage names ` + "`context:NAME`" + ` as its
subject.

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
	eachImage(pass.File, pass.NamedContexts, func(u imageUse) {
		if u.kind != "" {
			if u.base {
				pass.ReportSubject(u.rng, u.subject(nil), "%s%s is no image from a registry, and the build policy (baseImages.allowed) allows stages to start from allowed images only",
					u.label(""), u.replacement(""))
			}
			return // files for COPY --from or a mount, as from the build context
		}
		named, ok := parseImage(pass, u)
		if !ok {
			return
		}
		if !pass.Config.ImageAllowed(named.Name()) {
			pass.ReportSubject(u.rng, u.subject(named), "%s%s is not an allowed image: the build policy (baseImages.allowed) allows other registries or repositories only",
				u.label(named.Name()), u.replacement(named.Name()))
		}
	})
}

// parseImage parses an image reference; one that still holds a variable, or does not parse, is reported
// as a warning and not checked further.
func parseImage(pass *Pass, u imageUse) (reference.Named, bool) {
	if strings.Contains(u.ref, "$") {
		pass.Report(Finding{Range: u.rng, Severity: Warning, Message: fmt.Sprintf(
			"%s %s depends on a build argument without a default, so the build policy's image rules cannot check it; give the argument a default", u.what, u.ref)})
		return nil, false
	}
	named, err := reference.ParseNormalizedNamed(u.ref)
	if err != nil {
		return nil, false // BuildKit reports a reference that does not parse
	}
	return named, true
}
