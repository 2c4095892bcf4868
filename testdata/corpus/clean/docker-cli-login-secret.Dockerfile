# syntax=docker/dockerfile:1
FROM docker:27-cli AS push
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && \
    docker logout ghcr.io
FROM alpine:3.20
COPY --from=push /usr/local/bin/docker /usr/local/bin/docker
