# syntax=docker/dockerfile:1
# A realistic multi-stage build: Go API, Node front end, Python worker, distroless runtime.
ARG GO_VERSION=1.23
ARG NODE_VERSION=22
ARG PYTHON_VERSION=3.12

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS go-build
ENV CGO_ENABLED=0 GOFLAGS=-trimpath GOPRIVATE=github.com/acme/*
WORKDIR /src
RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts && \
    git config --global url."git@github.com:".insteadOf "https://github.com/"
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    --mount=type=ssh \
    go mod download -x
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,target=. \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w -X main.version=${VERSION}" -o /out/api ./cmd/api

FROM node:${NODE_VERSION}-alpine AS web-deps
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    --mount=type=cache,target=/root/.npm \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci && \
    rm -f .npmrc

FROM web-deps AS web-build
COPY web/ ./
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
RUN npm run build && npm prune --omit=dev

FROM python:${PYTHON_VERSION}-slim AS worker
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && \
    apt-get install -y --no-install-recommends libpq5 ca-certificates && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /worker
COPY worker/requirements.txt .
RUN --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL \
    --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt
COPY worker/ .
COPY <<EOF /etc/worker/config.yaml
queue: redis://redis:6379/0
concurrency: 4
log_level: info
EOF
RUN <<EOF
set -eux
useradd --system --uid 10001 worker
chown -R worker /worker
python -m compileall -q /worker
EOF
USER worker
CMD ["python", "-m", "worker"]

FROM gcr.io/distroless/static-debian12:nonroot AS api
LABEL org.opencontainers.image.source="https://github.com/acme/platform" \
      org.opencontainers.image.description="ACME API" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=go-build /out/api /usr/local/bin/api
COPY --from=web-build /web/out /srv/www
ENV API_LISTEN=:8080 API_STATIC_DIR=/srv/www API_DB_PASSWORD_FILE=/run/secrets/db_password
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/api", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/api"]
