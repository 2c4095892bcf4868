# syntax=docker/dockerfile:1
FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json ./

# An .npmrc written from a secret env mount and never removed.
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
# want error "secret npm_token is written to /app/.npmrc by a redirect and stays in the image layer"
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci

# A secret file, base64-encoded into a configuration file.
# want "secret license is written to /app/config/license.b64 by a redirect"
RUN --mount=type=secret,id=license mkdir -p config && base64 /run/secrets/license > config/license.b64

# The whole environment, secret env mounts included, dumped into a file.
# want "secret sentry_token is written to /app/build-env.txt by an environment dump"
RUN --mount=type=secret,id=sentry_token,env=SENTRY_AUTH_TOKEN env > /app/build-env.txt

# A secret mount with a target, copied out of the mount.
# want "secret aws is written to /app/aws-credentials by cp"
RUN --mount=type=secret,id=aws,target=/root/.aws/credentials cp /root/.aws/credentials /app/aws-credentials

# A credential build argument is a secret too.
ARG GITHUB_TOKEN
# want "build arg GITHUB_TOKEN is written to /root/.config/gh/token by tee"
RUN mkdir -p /root/.config/gh && printf '%s' "$GITHUB_TOKEN" | tee /root/.config/gh/token >/dev/null

# Exec form with a shell.
# want "secret t is written to /app/token"
RUN --mount=type=secret,id=t ["/bin/sh", "-c", "cat /run/secrets/t > /app/token"]

# A heredoc script.
RUN --mount=type=secret,id=db_password <<EOF
set -e
# want "secret db_password is written to /app/.pgpass by a redirect"
echo "db:5432:app:app:$(cat /run/secrets/db_password)" > /app/.pgpass
chmod 600 /app/.pgpass
EOF

# A temporary file that the RUN forgets to remove on one path.
RUN --mount=type=secret,id=t \
# want "secret t is written to /tmp/t by cp"
    cp /run/secrets/t /tmp/t && (./configure --token-file /tmp/t || true)

# Written into a cache mount: not in the image, but kept in the builder's cache.
# want warning "secret npm_token is written to /root/.npm/_auth by a redirect in a cache mount: it persists across builds"
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=cache,target=/root/.npm echo "$NPM_TOKEN" > /root/.npm/_auth

# Exec form without a shell.
# want "secret t is written to /app/t by cp"
RUN --mount=type=secret,id=t ["cp", "/run/secrets/t", "/app/t"]

# A heredoc fed to a command.
# want "secret t is written to /app/config.ini by a redirect"
RUN --mount=type=secret,id=t cat <<EOF > /app/config.ini
[auth]
token = $(cat /run/secrets/t)
EOF

# A relative secret mount target.
# want "secret t is written to /app/copy.txt by cp"
RUN --mount=type=secret,id=t,target=token.txt cp token.txt /app/copy.txt
