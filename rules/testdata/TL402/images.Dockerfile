# Configured in rules_test.go: requireDigest.
# want "FROM golang:1.26 is not pinned by digest"
FROM golang:1.26 AS build
FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
COPY --from=build /go/bin /bin
# want "COPY --from busybox is not pinned"
COPY --from=busybox /bin/busybox /bin/
FROM scratch
