# syntax=docker/dockerfile:1
FROM alpine/git AS source
# An SSH key written from a secret, used, and removed two instructions later.
# want error "secret deploy_key is written to /root/.ssh/id_ed25519 by a redirect here and removed only by the RUN at line 9: it stays in the image layer"
RUN --mount=type=secret,id=deploy_key mkdir -p /root/.ssh && cat /run/secrets/deploy_key > /root/.ssh/id_ed25519 && chmod 600 /root/.ssh/id_ed25519
RUN ssh-keyscan github.com >> /root/.ssh/known_hosts && \
    git clone git@github.com:acme/app.git /app
# Removing the directory does not help either.
RUN rm -rf /root/.ssh

# A credential store removed later.
# want "docker login stores Docker registry credentials in /root/.docker/config.json here, removed only by the RUN at line 15"
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD echo "$REGISTRY_PASSWORD" | docker login ghcr.io -u ci --password-stdin
RUN docker pull ghcr.io/acme/base:1
RUN rm -f ~/.docker/config.json

# A credential file copied from an image.
# want "COPY copies SSH private key \(id_rsa\) to /root/.ssh/id_rsa here, removed only by the RUN at line 20"
COPY --from=ghcr.io/acme/keys:1 /keys/id_rsa /root/.ssh/
RUN git clone git@github.com:acme/lib.git /lib && shred -u /root/.ssh/id_rsa

# A file named like a credential file: a warning, only its name says it is one.
# want warning "/app/.env \(environment file with credentials\) is created here and removed only by the RUN at line 26"
RUN ./generate-env > /app/.env
RUN ./build --env-file /app/.env
RUN rm /app/.env
