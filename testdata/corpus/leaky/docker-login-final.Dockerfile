# syntax=docker/dockerfile:1
# A CI image that logs in to pull its base tools and keeps the login.
FROM docker:27-cli
RUN apk add --no-cache bash jq
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD \
# want error "docker login stores Docker registry credentials in /root/.docker/config.json, which stays in the image layer; .*DOCKER_CONFIG"
    echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin && \
    docker pull ghcr.io/acme/ci-tools:2
COPY entrypoint.sh /usr/local/bin/
ENTRYPOINT ["entrypoint.sh"]
