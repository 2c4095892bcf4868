FROM ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
ARG GH_CLI_VERSION=2.61.0
RUN apt-get update && apt-get install -y --no-install-recommends git curl ca-certificates unzip && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL "https://github.com/cli/cli/releases/download/v${GH_CLI_VERSION}/gh_${GH_CLI_VERSION}_linux_amd64.tar.gz" | tar -xz -C /opt && \
    ln -s /opt/gh_${GH_CLI_VERSION}_linux_amd64/bin/gh /usr/local/bin/gh
ENV GH_TOKEN_FILE=/run/secrets/gh_token
ENV GIT_ASKPASS=/usr/local/bin/git-askpass
COPY scripts/git-askpass /usr/local/bin/git-askpass
