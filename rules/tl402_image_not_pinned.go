package rules

import (
	"github.com/distribution/reference"
)

// TL402 requires image references to be pinned by digest when the build policy says so.
var TL402 = &Rule{
	ID:       "TL402",
	Name:     "image-not-pinned",
	Severity: Error,
	Summary:  "an image is used by tag, not pinned by digest, where the build policy requires digests",
	Doc: `A tag can be moved to other content at any time; a digest cannot. An organisation that requires
reproducible, reviewable builds sets ` + "`baseImages.requireDigest: true`" + ` in its build policy
(docs/policy.md), and the rule then reports every image reference (FROM, ` + "`COPY --from`" + `,
` + "`RUN --mount=from`" + `) without ` + "`@sha256:…`" + `. Images whose name depends on a build argument without
a default are reported by TL401's warning, or here when TL401 is not configured. In the build, an image
that a named build context (` + "`--build-context NAME=docker-image://…`" + `) puts in place of a reference must be
pinned too.

The rule does nothing unless the policy sets ` + "`baseImages.requireDigest`" + `.

**Fix:** pin the image: ` + "`FROM node:22-alpine@sha256:<digest>`" + ` (a tool such as Renovate keeps pins current).`,
	Bad: `# policy: baseImages.requireDigest: true
FROM alpine:3.20`,
	Good:  `FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d`,
	Check: checkImagePinned,
}

func checkImagePinned(pass *Pass) {
	if !pass.Config.RequireDigest {
		return
	}
	eachImage(pass.File, pass.NamedContexts, func(u imageUse) {
		if u.kind != "" {
			return // no registry image: TL401's, when the policy lists allowed images
		}
		var named reference.Named
		if pass.Config.ImageAllowed == nil { // TL401 does not run its checks: report the unparsable here
			var ok bool
			if named, ok = parseImage(pass, u); !ok {
				return
			}
		} else {
			var err error
			if named, err = reference.ParseNormalizedNamed(u.ref); err != nil {
				return
			}
		}
		if _, ok := named.(reference.Digested); !ok {
			pass.ReportSubject(u.rng, named.Name(), "%s%s is not pinned by digest, which the build policy requires (baseImages.requireDigest); pin it as %s@sha256:<digest>",
				u.label(reference.FamiliarString(named)), u.replacement(reference.FamiliarString(named)), reference.FamiliarString(named))
		}
	})
}
