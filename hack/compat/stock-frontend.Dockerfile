# The stock docker/dockerfile frontend image, built offline from the pinned buildkit module, as upstream's
# frontend/dockerfile/cmd/dockerfile-frontend/Dockerfile builds it: a static binary of that command with
# the same build tags and the same labels, FROM scratch. Differences from upstream's file: no
# tonistiigi/xx (there is no cross-compilation here), the version comes from build arguments instead of
# `git describe`, and the Go modules come as a vendor tree (`go mod vendor -o DIR` in the module copy) like
# tightlip's own offline build:
#
#   buildctl build --frontend dockerfile.v0 --local context=MODULE_COPY --local dockerfile=hack/compat \
#     --opt filename=stock-frontend.Dockerfile --local vendor=DIR --opt context:vendor=local:vendor \
#     --opt context:golang:1.26-alpine=docker-image://REGISTRY/golang:1.26 --output type=oci,dest=stock.tar

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS golang

FROM scratch AS vendor

FROM golang AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=vendor
COPY . .
ARG VERSION=dev
ARG REVISION=module
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=bind,from=vendor,target=/src/vendor \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /dockerfile-frontend \
      -ldflags "-d -X main.Version=$VERSION -X main.Revision=$REVISION -X main.Package=github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend" \
      -tags "$(cat ./frontend/dockerfile/release/mainline/tags) netgo static_build osusergo" \
      ./frontend/dockerfile/cmd/dockerfile-frontend

FROM scratch AS release
LABEL moby.buildkit.frontend.network.none="true"
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring,moby.buildkit.frontend.contexts.zstd"
COPY --from=build /dockerfile-frontend /bin/dockerfile-frontend
ENTRYPOINT ["/bin/dockerfile-frontend"]
