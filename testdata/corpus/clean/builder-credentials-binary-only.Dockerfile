# syntax=docker/dockerfile:1
# The builder keeps a netrc and a Git URL rewrite with a token in its layers; only the static binary
# reaches the image.
FROM golang:1.23-bookworm AS build
ENV GOPRIVATE=github.com/acme/*
WORKDIR /src
RUN --mount=type=secret,id=netrc cp /run/secrets/netrc /root/.netrc && chmod 600 /root/.netrc
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN \
    git config --global url."https://ci:${GH_TOKEN}@github.com/".insteadOf "https://github.com/"
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -o /out/svc ./cmd/svc

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/svc /usr/local/bin/svc
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/svc"]
