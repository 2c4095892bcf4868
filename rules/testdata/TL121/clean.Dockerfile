FROM golang:1.23 AS build
WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download
RUN --mount=type=bind,target=. --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app
RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download
RUN --mount=type=ssh git clone git@github.com:acme/lib.git /lib
RUN --mount=type=bind,source=id_rsa.pub,target=/tmp/key.pub cat /tmp/key.pub
RUN --mount=type=bind,source=certs/ca.pem,target=/usr/local/share/ca-certificates/ca.crt update-ca-certificates
FROM alpine:3.20
# from a stage, not from the build context
RUN --mount=type=bind,from=build,source=/root/.netrc,target=/tmp/netrc true
