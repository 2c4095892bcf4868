# syntax=docker/dockerfile:1
FROM docker:27-cli AS push
# DOCKER_CONFIG on a tmpfs mount.
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD --mount=type=tmpfs,target=/tmp/docker \
    export DOCKER_CONFIG=/tmp/docker && \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && \
    docker pull ghcr.io/acme/base:1
# Logged out in the same RUN.
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && \
    docker pull ghcr.io/acme/base:1 && \
    docker logout ghcr.io
# The file removed in the same RUN.
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    npm config set //registry.npmjs.org/:_authToken=$NPM_TOKEN && npm ci && rm -f ~/.npmrc
# NPM_CONFIG_USERCONFIG pointing at a secret mount.
RUN --mount=type=secret,id=npmrc,target=/run/secrets/npmrc NPM_CONFIG_USERCONFIG=/run/secrets/npmrc npm ci
# Harmless configuration.
RUN npm config set fund false && git config --global user.email ci@example.com && \
    git config --global url."git@github.com:".insteadOf "https://github.com/"
# An SSH clone.
RUN --mount=type=ssh git clone git@github.com:acme/app.git /app

# A builder stage that logs in: only the binary is copied.
FROM golang:1.23 AS build
RUN --mount=type=secret,id=netrc,env=GH_TOKEN git config --global url."https://ci:${GH_TOKEN}@github.com/".insteadOf "https://github.com/" && go mod download
RUN go build -o /out/app .

FROM alpine
COPY --from=build /out/app /app
COPY --from=push /usr/local/bin/docker /usr/local/bin/docker
