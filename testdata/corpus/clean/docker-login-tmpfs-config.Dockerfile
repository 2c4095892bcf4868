# syntax=docker/dockerfile:1
# Pulls private tools with docker login; the registry credentials live on a tmpfs mount only.
FROM docker:27-cli
RUN apk add --no-cache bash jq
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD \
    --mount=type=tmpfs,target=/tmp/docker-config \
    export DOCKER_CONFIG=/tmp/docker-config && \
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && \
    docker pull ghcr.io/acme/ci-tools:2 && \
    docker save ghcr.io/acme/ci-tools:2 -o /opt/ci-tools.tar
COPY entrypoint.sh /usr/local/bin/
ENTRYPOINT ["entrypoint.sh"]
