# syntax=docker/dockerfile:1
# A token in a comment is not in the image: ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr
FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D
ENV NODE_VERSION=22.11.0 \
    YARN_VERSION=1.22.22
ARG BUILD_ID=123e4567-e89b-12d3-a456-426614174000
LABEL org.opencontainers.image.revision=3f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 \
      org.opencontainers.image.source=https://github.com/acme/app
RUN set -eux; \
    # comments inside a RUN are dropped too: AKIADKYAYQ5S37JMSNDD
    curl -fsSLO "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-x64.tar.xz"; \
    echo "6a0f8a2bf0d7ac4e9f5bd61c9d6b4af3d61a91d68b9e7e3b2d3a3b4c5d6e7f80  node-v$NODE_VERSION-linux-x64.tar.xz" | sha256sum -c -; \
    for key in 4ED778F539E3634C779C87C6D7062848A1AB005C 141F07595B7B3FFE74309A937405533BE57C7D57; do \
      gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key"; \
    done; \
    echo aGVsbG8gd29ybGQsIHRoaXMgaXMganVzdCBhIGJhc2U2NCBzdHJpbmc= | base64 -d
RUN --mount=type=secret,id=gh,env=GITHUB_TOKEN \
    git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/private.git /src
RUN --mount=type=secret,id=npm,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc
RUN git clone https://oauth2:$CI_JOB_TOKEN@gitlab.com/acme/lib.git
ENV DATABASE_URL=postgres://user:password@localhost:5432/app
ENV DOCS_URL=https://admin:2RMZhYKYcwIBQxeG@docs.example.com/
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
RUN grep -q 'BEGIN RSA PRIVATE KEY' /etc/ssl/private/server.key || openssl genrsa -out /etc/ssl/private/server.key 2048
COPY <<EOF /etc/ssl/certs/extra.pem
-----BEGIN CERTIFICATE-----
MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJ
-----END CERTIFICATE-----
EOF
RUN curl -H "Authorization: Bearer $(cat /run/secrets/token)" https://api.internal/
RUN SECRET_KEY_BASE=placeholder bundle exec rails assets:precompile
RUN echo "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx is how a token looks"
