package rules

import "strings"

// TL203 finds commands that store a credential on disk and leave it in the layer.
var TL203 = &Rule{
	ID:       "TL203",
	Name:     "credential-store",
	Severity: Error,
	Summary:  "a RUN stores a credential with a tool's login or config command and leaves it in the layer",
	Doc: `Many tools keep a credential in a file once they are given one: ` + "`docker login`" + ` writes
` + "`~/.docker/config.json`, `npm config set //registry…:_authToken=…` and `npm login`" + ` write ` + "`~/.npmrc`" + `,
` + "`git config credential.helper store`" + ` makes Git write ` + "`~/.git-credentials`" + `, a token in a ` + "`git clone`" + `
URL stays in ` + "`.git/config`" + `, and so on for Helm, Podman, crane, oras, yarn, pnpm, Composer, the AWS,
Google Cloud, Azure, GitHub and Hugging Face CLIs, pip, Poetry, RubyGems, Bundler, Cargo, kubectl,
Terraform, Vault, NuGet, MinIO and doctl. The file is committed to the layer with the RUN, whether the
credential came from a secret mount, a build argument or a literal.

The rule reports such a command unless the same RUN takes the credential back on every path (removes the
file or a directory above it, logs out) or the file is in a tmpfs or secret mount, for instance because
the tool's configuration is pointed there (` + "`DOCKER_CONFIG=/tmp/docker`" + ` with a tmpfs at ` + "`/tmp/docker`" + `).
The commands are recognised in the shell analysis of the RUN (through sudo, env, sh -c, functions,
python -m pip), with their options and the environment variables and files that move their
configuration. A file in a cache mount is a warning: it persists across builds in the builder's cache. When a later
RUN removes the file, TL202 reports it instead. Severity follows the stage as for TL201.

**Fix:** give the tool the credential for one command from a secret mount, and keep its files out of
the layer: remove them (or log out) in the same RUN, or point the tool's configuration at a tmpfs or
secret mount (` + "`DOCKER_CONFIG`, `NPM_CONFIG_USERCONFIG`, `REGISTRY_AUTH_FILE`, `CLOUDSDK_CONFIG`" + `, …).`,
	Bad: `RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && docker pull ghcr.io/acme/base`,
	Good: `RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD --mount=type=tmpfs,target=/tmp/docker \
    export DOCKER_CONFIG=/tmp/docker && \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && docker pull ghcr.io/acme/base`,
	Check: checkCredentialStore,
}

func checkCredentialStore(pass *Pass) {
	pass.flow().eachRun(pass.File.Stages, func(rf *runFlow, sev Severity, where string, exported bool) {
		for _, o := range rf.stores {
			switch {
			case o.cache:
				pass.Report(Finding{Range: o.rng, Severity: Warning, Subject: redact(o.path), Message: redact(o.tool + " stores " + o.what + " in " + o.path +
					" in a cache mount: it persists across builds in the builder's cache; " + storeHint(o.tool))})
			case o.removedBy != nil || !exported:
			default:
				pass.Report(Finding{Range: o.rng, Severity: sev, Subject: redact(o.path), Message: redact(o.tool + " stores " + o.what + " in " + o.path +
					", which stays in " + where + "; " + storeHint(o.tool))})
			}
		}
	})
}

// storeHint says how to keep a tool's credential file out of the layer.
func storeHint(tool string) string {
	const same = "remove it in the same RUN, or "
	name, _, _ := strings.Cut(tool, " ")
	switch {
	case tool == "docker login" || tool == "crane auth login" || tool == "az acr login" || tool == "gcloud auth configure-docker":
		return same + "set DOCKER_CONFIG to a tmpfs mount"
	case tool == "oras login":
		return same + "pass --registry-config on a tmpfs mount"
	case name == "podman" || name == "buildah" || name == "skopeo":
		return same + "set REGISTRY_AUTH_FILE to a file on a tmpfs mount"
	case tool == "helm registry login":
		return same + "set HELM_REGISTRY_CONFIG to a file on a tmpfs mount"
	case name == "helm":
		return same + "set HELM_REPOSITORY_CONFIG to a file on a tmpfs mount"
	case name == "npm" || name == "pnpm":
		return same + "mount the .npmrc as a secret (--mount=type=secret,id=npmrc,target=/root/.npmrc) or set NPM_CONFIG_USERCONFIG to a tmpfs mount"
	case name == "yarn":
		return same + "set YARN_NPM_AUTH_TOKEN from a secret mount (env=YARN_NPM_AUTH_TOKEN)"
	case tool == "git clone" || strings.HasPrefix(tool, "git remote"):
		return "drop the credential from the remote URL in the same RUN (git remote set-url), or use --mount=type=ssh or a secret mount with a credential helper"
	case name == "git":
		return same + "set GIT_CONFIG_GLOBAL to a file on a tmpfs mount, or use --mount=type=ssh"
	case name == "composer":
		return same + "set COMPOSER_AUTH from a secret mount (env=COMPOSER_AUTH)"
	case name == "aws":
		return same + "mount the credentials as a secret (--mount=type=secret,id=aws,target=/root/.aws/credentials)"
	case name == "gcloud":
		return same + "set CLOUDSDK_CONFIG to a tmpfs mount"
	case name == "az":
		return same + "set AZURE_CONFIG_DIR to a tmpfs mount"
	case name == "pip":
		return same + "set PIP_INDEX_URL from a secret mount (env=PIP_INDEX_URL)"
	case name == "poetry":
		return same + "set POETRY_HTTP_BASIC_<SOURCE>_PASSWORD from a secret mount"
	case name == "gem" || name == "bundle" || name == "bundler":
		return same + "set BUNDLE_<HOST> from a secret mount"
	case name == "cargo":
		return same + "set CARGO_REGISTRY_TOKEN from a secret mount (env=CARGO_REGISTRY_TOKEN)"
	case name == "gh":
		return same + "set GH_TOKEN from a secret mount (env=GH_TOKEN)"
	case name == "kubectl":
		return same + "set KUBECONFIG to a file on a tmpfs mount"
	case name == "huggingface-cli" || name == "hf":
		return same + "set HF_TOKEN from a secret mount (env=HF_TOKEN)"
	case name == "terraform":
		return same + "set TF_TOKEN_<host> from a secret mount"
	case name == "vault":
		return same + "set VAULT_TOKEN from a secret mount (env=VAULT_TOKEN)"
	case name == "dotnet" || name == "nuget":
		return same + "mount a NuGet.Config as a secret"
	case name == "doctl":
		return same + "set DIGITALOCEAN_ACCESS_TOKEN from a secret mount"
	}
	return "remove it in the same RUN, or keep it on a tmpfs mount"
}
