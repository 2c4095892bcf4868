# syntax=docker/dockerfile:1
FROM golang:1.23-bookworm AS build
ENV GOPRIVATE=gitlab.acme.corp GOFLAGS=-mod=readonly
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=secret,id=netrc,target=/root/.netrc,required \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/svc .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/svc /svc
ENTRYPOINT ["/svc"]
