# Configured in rules_test.go: allowed registry.example.com/base and docker.io/library/golang.
ARG GO=1.26
ARG BASE
FROM golang:${GO} AS build
RUN go version

FROM registry.example.com/base/node:22 AS web
# want "FROM docker.io/library/node is not an allowed image"
FROM node:22-alpine AS other
# want "COPY --from docker.io/library/busybox is not an allowed image"
COPY --from=busybox:1.37 /bin/busybox /bin/
# want "RUN --mount=from quay.io/acme/tools is not an allowed image"
RUN --mount=from=quay.io/acme/tools:1,target=/t /t/run

# want warning "depends on a build argument without a default"
FROM ${BASE}
COPY --from=build /go/bin /bin
COPY --from=web /srv /srv
# want "registry.example.com/basement/x is not an allowed image"
FROM registry.example.com/basement/x

FROM scratch
