# syntax=docker/dockerfile:1
FROM node:22-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The tool reads the secret from its environment.
RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci
# The secret is an argument of a command.
RUN --mount=type=secret,id=t curl -fsSL -H "Authorization: Bearer $(cat /run/secrets/t)" -o /app/asset.tgz https://example.com/asset.tgz
# A temporary file removed by the same RUN.
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci && \
    rm -f .npmrc
RUN --mount=type=secret,id=t \
    TMP="$(mktemp -d)" && \
    cp /run/secrets/t "$TMP/token" && \
    ./fetch --token-file "$TMP/token" && \
    rm -rf "$TMP"
# An EXIT trap removes it on every path.
RUN --mount=type=secret,id=t sh -c 'trap "rm -f /tmp/t" EXIT; cp /run/secrets/t /tmp/t; ./fetch --token-file /tmp/t'
# Written to a tmpfs mount.
RUN --mount=type=secret,id=t --mount=type=tmpfs,target=/tmp/auth cat /run/secrets/t > /tmp/auth/token && ./fetch --token-file /tmp/auth/token
# SSH agent forwarding.
RUN --mount=type=ssh git clone git@github.com:acme/private.git /app/private
# A *_FILE variable pointing at the secret mount.
ENV DB_PASSWORD_FILE=/run/secrets/db_password
RUN --mount=type=secret,id=db_password ./migrate --password-file "$DB_PASSWORD_FILE"
# A placeholder for a build-time tool.
RUN SECRET_KEY_BASE=placeholder bundle exec rails assets:precompile > /app/precompile.log
ARG SECRET_KEY_BASE=dummy
RUN echo "$SECRET_KEY_BASE" > /app/secret_key_base.txt
# A secret as the value of a flag: used, not written.
RUN --mount=type=secret,id=sonar,env=SONAR_TOKEN sonar-scanner -Dsonar.token="$SONAR_TOKEN" > /app/sonar.log
# A file that merely names the secret mount.
RUN --mount=type=secret,id=t echo "token_file=/run/secrets/t" > /app/fetch.conf
# Hashing a secret to a fingerprint is a one-way function... still derived: not used here.
RUN echo "built" > /app/BUILD_INFO

# A builder that holds a credential, from which only a binary is copied.
FROM golang:1.23 AS build
RUN --mount=type=secret,id=netrc cp /run/secrets/netrc /root/.netrc && go mod download
RUN go build -o /out/app .

FROM gcr.io/distroless/static
COPY --from=build /out/app /app
COPY --from=deps /app/node_modules /node_modules
