package rules

import (
	"slices"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
)

// imageUse is an image the build uses: an image reference of the Dockerfile, or the named build context
// (--build-context) that BuildKit uses in its place.
type imageUse struct {
	// ref is the image reference to check: as written (meta ARGs expanded), or the image of a
	// docker-image:// context. "" when the context is no image from a registry.
	ref  string
	rng  parser.Range
	what string // "FROM", "COPY --from", "RUN --mount=from", or "stage" for a stage a context replaces
	// written is the reference or stage name of the Dockerfile that a context replaces; "" when no
	// context does.
	written string
	// context is the named context's name as the client gave it (with its ::platform, if any).
	context string
	// kind describes a context that is no registry image ("a local directory"); "" otherwise.
	kind string
	// base is set when the use is a stage's filesystem (FROM, or a stage a context replaces), which
	// only an image may provide; COPY --from and RUN --mount=from may also take files from a
	// directory or repository.
	base bool
}

// subject is what an exception's subject matches: the image name, or "context:NAME" for a context
// that is no registry image.
func (u imageUse) subject(named reference.Named) string {
	if named != nil {
		return named.Name()
	}
	return "context:" + u.context
}

// eachImage calls fn for every image the build uses: stage bases that are not stages or scratch,
// COPY --from and RUN --mount=from references that are not stages, and the named build contexts that
// replace any of them or a stage, as BuildKit looks them up (the reference in its familiar form,
// without :latest, then with ::platform). A context given for one platform only leaves the reference
// in use for the others, so both are checked.
func eachImage(f *model.File, contexts map[string]string, fn func(imageUse)) {
	// replaced reports the uses of the contexts given for name, and whether one covers every platform.
	replaced := func(name string, u imageUse) bool {
		if len(contexts) == 0 || strings.EqualFold(name, "scratch") || strings.EqualFold(name, "context") {
			return false
		}
		if named, err := reference.ParseNormalizedNamed(name); err == nil {
			name = strings.TrimSuffix(reference.FamiliarString(named), ":latest")
		}
		all := false
		for _, key := range contextKeys(contexts, name) {
			all = all || key == name
			if cu, ok := contextUse(contexts[key], u); ok {
				cu.written, cu.context = name, key
				fn(cu)
			}
		}
		return all
	}
	for _, st := range f.Stages {
		if st.Name != "" && replaced(st.Name, imageUse{rng: st.From.Range, what: "stage", base: true}) {
			continue // the whole stage is the context's
		}
		switch {
		case st.BaseStage != nil || strings.EqualFold(st.BaseExpanded, "scratch"):
		case st.BaseExpanded == "" && strings.Contains(st.Base, "$"):
			fn(imageUse{ref: st.Base, rng: st.From.Range, what: "FROM", base: true}) // an argument without a value
		default:
			u := imageUse{ref: st.BaseExpanded, rng: st.From.Range, what: "FROM", base: true}
			if !replaced(st.BaseExpanded, u) {
				fn(u)
			}
		}
	}
	for _, e := range f.Edges {
		if e.From == nil && e.Kind != model.EdgeBase {
			u := imageUse{ref: e.Ref, rng: e.Inst.Range, what: e.Kind.String()}
			if !replaced(e.Ref, u) {
				fn(u)
			}
		}
	}
}

// contextKeys returns the keys of contexts that BuildKit may use for name: name itself and
// name::platform, in order.
func contextKeys(contexts map[string]string, name string) []string {
	var keys []string
	for key := range contexts {
		if n, _, _ := strings.Cut(key, "::"); n == name {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return keys
}

// contextUse returns u as replaced by the context value v, in the forms of BuildKit's
// dockerui.NamedContext: docker-image://REF, oci-layout://STORE:TAG@DIGEST, local:NAME, input:NAME, git
// and http URLs. It returns false when there is nothing to check: docker-image://scratch is the empty
// filesystem, and BuildKit rejects a form it does not know.
func contextUse(v string, u imageUse) (imageUse, bool) {
	kind, rest, _ := strings.Cut(v, ":")
	switch {
	case kind == "docker-image":
		u.ref = strings.TrimPrefix(rest, "//")
		return u, u.ref != "scratch"
	case kind == "oci-layout":
		u.kind = "an OCI layout from the client"
	case kind == "local":
		u.kind = "a local directory"
	case kind == "input":
		u.kind = "the result of another build"
	case kind == "git" || strings.HasPrefix(kind, "git@"):
		u.kind = "a Git repository"
	case kind == "http" || kind == "https":
		u.kind = "a remote URL" // a Git repository or a tarball
	default:
		return u, false
	}
	u.ref = ""
	return u, true
}

// label is what messages call the use: the instruction (or "stage") and the name a context replaces
// ("FROM node", "stage base"), else the instruction and name, the image as the message names it.
func (u imageUse) label(name string) string {
	if u.written != "" {
		name = u.written
	}
	return u.what + " " + name
}

// replacement describes the context that replaces the use, for messages: "" when none does. It
// names the context's image (image, as the message names it), never the context's value, which
// may be a URL with credentials.
func (u imageUse) replacement(image string) string {
	if u.context == "" {
		return ""
	}
	s := " (replaced by the named build context " + u.context
	switch {
	case u.kind != "":
		s += ", " + u.kind
	case image != "":
		s += ", image " + image
	}
	return s + ")"
}
