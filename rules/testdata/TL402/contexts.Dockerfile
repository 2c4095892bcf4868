# Configured in rules_test.go: digests required. The named build contexts are in
# contexts.build-contexts.

# A pinned reference replaced by an image that is not pinned.
# want "FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d \(replaced by the named build context alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d, image alpine:3.20\) is not pinned by digest"
FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d AS a

# A reference that is not pinned, replaced by a pinned image.
FROM node:22 AS b

# Contexts that are no registry image are TL401's.
FROM debian:12 AS c
COPY --from=src . /src
