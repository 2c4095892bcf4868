# Configured in rules_test.go: allowed registry.example.com/base and docker.io/library/golang. The named
# build contexts are in contexts.build-contexts.

# want "FROM golang:1.26 \(replaced by the named build context golang:1.26, image quay.io/acme/golang\) is not an allowed image"
FROM golang:1.26 AS build
RUN go version

# The context replaces the allowed image with another allowed image.
FROM registry.example.com/base/node:22 AS web

# want "FROM node \(replaced by the named build context node, a local directory\) is no image from a registry"
FROM node AS local-node

# A context that replaces a whole stage: its FROM line is reported.
# want "stage tools \(replaced by the named build context tools, a Git repository\) is no image from a registry"
FROM registry.example.com/base/tools:1 AS tools

# A context given for one platform only: the image stays in use for the others.
# want "FROM alpine \(replaced by the named build context alpine::linux/arm64, image docker.io/evil/alpine\) is not an allowed image"
# want "FROM docker.io/library/alpine is not an allowed image"
FROM alpine AS multi

# An allowed stage replaced by an OCI layout.
# want "stage base \(replaced by the named build context base, an OCI layout from the client\) is no image"
FROM registry.example.com/base/debian:12 AS base

FROM scratch AS empty

# Files from a local directory or another build, as from the build context: nothing to report.
FROM registry.example.com/base/app:1
COPY --from=src . /src
RUN --mount=from=bake-target,target=/t ls /t
# want "COPY --from busybox:1.37 \(replaced by the named build context busybox:1.37, image docker.io/library/busybox\) is not an allowed image"
COPY --from=busybox:1.37 /bin/busybox /bin/
# docker-image://scratch is the empty filesystem.
COPY --from=nothing / /
COPY --from=build /go/bin /bin
