# The tightlip frontend image, built from source with BuildKit's built-in Dockerfile frontend:
#
#   buildctl build --frontend dockerfile.v0 --local context=. --local dockerfile=. \
#     --opt build-arg:VERSION=v1.2.3 --output type=image,name=registry.example.com/tightlip:1,push=true
#
# Offline builds (as in hack/build-images.sh) pass the Go modules as a vendor tree instead of
# downloading them: --local vendor=DIR --opt context:vendor=local:vendor --opt build-arg:GOFLAGS=-mod=vendor
# No `# syntax=` line: the image that provides tightlip must not depend on another frontend image.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS golang

# Go modules for offline builds (`go mod vendor -o DIR`); empty when modules come from GOPROXY.
FROM scratch AS vendor

FROM golang AS build
WORKDIR /src
ENV CGO_ENABLED=0
ARG GOFLAGS=-mod=readonly
ARG GOPROXY
COPY . .
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=bind,from=vendor,target=/src/vendor \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -w -X github.com/tightlip/tightlip/internal/version.Version=$VERSION" \
      -o /out/ ./cmd/tightlip-frontend

FROM scratch AS release
ARG VERSION=dev
LABEL moby.buildkit.frontend.network.none="true"
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring,moby.buildkit.frontend.contexts.zstd"
LABEL org.opencontainers.image.title="tightlip" \
      org.opencontainers.image.description="BuildKit Dockerfile frontend that keeps credentials out of images" \
      org.opencontainers.image.source="https://github.com/tightlip/tightlip" \
      org.opencontainers.image.version="$VERSION"
COPY --from=build /out/tightlip-frontend /bin/tightlip-frontend
ENTRYPOINT ["/bin/tightlip-frontend"]
