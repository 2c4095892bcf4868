package verify

import "github.com/tightlip/tightlip/rules"

// Check is one thing Image looks for. Checks are not Dockerfile rules (package rules): they read a
// built image, so that what a Dockerfile rule could not see (a base image, a script, a build that did
// not go through tightlip) is still caught before the image ships.
type Check struct {
	// ID is the stable identifier ("TLV101").
	ID string
	// Name is a kebab-case name.
	Name string
	// Severity is the severity of the check's findings unless a finding says otherwise.
	Severity rules.Severity
	// Summary is one line saying what the check finds.
	Summary string
	// Doc is the long description in Markdown.
	Doc string
}

func (c *Check) String() string { return c.ID + " " + c.Name }

// The checks.
var (
	ConfigEnv = &Check{
		ID: "TLV101", Name: "config-env", Severity: rules.Error,
		Summary: "the image config sets a credential-named environment variable to a literal value",
		Doc: "The image config's `Env` is published with the image (`docker image inspect`) and set in every " +
			"container. A variable whose name says it holds a credential (`NPM_TOKEN`, `DB_PASSWORD`, `*_API_KEY` …) " +
			"with a value that is not empty, not a placeholder and not a path is reported. Dockerfile rule TL101 " +
			"reports the ENV that set it.",
	}
	ConfigValue = &Check{
		ID: "TLV102", Name: "config-value", Severity: rules.Error,
		Summary: "the image config holds a credential of a known format",
		Doc: "A credential of a known format (GitHub, GitLab, npm, PyPI, AWS, Slack, Stripe, … tokens, private keys, " +
			"passwords in URLs) in the config's `Env`, `Labels`, `Entrypoint`, `Cmd`, `OnBuild` or `Healthcheck`.",
	}
	HistoryBuildArg = &Check{
		ID: "TLV103", Name: "history-build-arg", Severity: rules.Error,
		Summary: "the image history records the value of a credential build argument",
		Doc: "BuildKit records a build argument's value in the history entry of its `ARG` (`ARG NPM_TOKEN=…`) and " +
			"of every `RUN` step that follows (`RUN |1 NPM_TOKEN=… /bin/sh -c npm ci`), so a credential passed with " +
			"`--build-arg` ships in the image's config even when no layer holds it. Pass it as a secret (`--secret id=NPM_TOKEN,env=NPM_TOKEN` " +
			"and `RUN --mount=type=secret,id=NPM_TOKEN,env=NPM_TOKEN`); tightlip's frontend does that rewrite itself.",
	}
	HistoryValue = &Check{
		ID: "TLV104", Name: "history-value", Severity: rules.Error,
		Summary: "the image history holds a credential",
		Doc: "A credential of a known format in a history entry's `created_by` or `comment`, or an `ENV` of a " +
			"credential-named variable with a literal value that the final config no longer shows (a later `ENV` " +
			"overwrote it, but the history keeps the first value).",
	}
	LayerFile = &Check{
		ID: "TLV110", Name: "layer-credential-file", Severity: rules.Error,
		Summary: "a layer ships a credential file",
		Doc: "A file whose name and content make it a credential file: `.npmrc` with an auth token, `.env` with " +
			"passwords, private keys, cloud and registry credentials, `.git-credentials` … (the same table as the " +
			"Dockerfile rule TL120). A file whose name suggests a credential but whose content cannot tell is a warning.",
	}
	LayerValue = &Check{
		ID: "TLV111", Name: "layer-value", Severity: rules.Error,
		Summary: "a text file in a layer holds a credential of a known format",
		Doc: "A credential of a known format in the content of a text file of a layer. Binary files (a NUL byte " +
			"in their first 8 KiB) are searched for known values (`--secret-env`, `--secret-file`) only.",
	}
	LayerDeleted = &Check{
		ID: "TLV112", Name: "layer-deleted-credential", Severity: rules.Error,
		Summary: "a credential file is deleted by a later layer but still shipped in an earlier one",
		Doc: "Deleting a file in a later step (`RUN rm .npmrc`) hides it from containers, but the layer that " +
			"added it is still part of the image: anyone who pulls the image can extract it. Reported for a " +
			"credential file or a credential in a file that a later layer's whiteout deletes (or that a later layer " +
			"replaces). Copy credentials in with a secret mount instead, or build in a stage that is not shipped.",
	}
	KnownValue = &Check{
		ID: "TLV120", Name: "known-secret", Severity: rules.Error,
		Summary: "a known secret value is in the image",
		Doc: "A value given with `--secret-env NAME` or `--secret-file PATH` found in the config, the history or " +
			"any file of any layer, raw or encoded: base64 (standard and URL alphabets, at each of the three " +
			"alignments, so a value inside a longer encoded text such as a Docker `auth` is found), URL-encoded, hex " +
			"and JSON-escaped. The value is never printed: findings name the secret and its length. Where another " +
			"finding already points at the same place, the secret is named in its message instead.",
	}
)

// Checks returns every check, in ID order.
func Checks() []*Check {
	return []*Check{ConfigEnv, ConfigValue, HistoryBuildArg, HistoryValue, LayerFile, LayerValue, LayerDeleted, KnownValue}
}
