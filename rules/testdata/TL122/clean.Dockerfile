FROM node:22-alpine AS build
ARG NPM_TOKEN
ARG APP_VERSION=1.0.0
# a quoted delimiter turns expansion off: the file holds the reference, npm reads the env at run time
COPY <<'EOF' /root/.npmrc
//registry.npmjs.org/:_authToken=${NPM_TOKEN}
EOF
# variables that are no credentials
COPY <<EOF /app/version.txt
${APP_VERSION}
EOF
# an escaped reference is not expanded
COPY <<EOF /app/env.sh
export TOKEN=\$NPM_TOKEN
EOF
# a credential name the Dockerfile does not declare is not known to the build
COPY <<EOF /app/run.sh
#!/bin/sh
exec app --token "$API_TOKEN"
EOF
# RUN heredocs are shell scripts: the shell analysis judges them
RUN <<EOF
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /tmp/.npmrc
rm /tmp/.npmrc
EOF

FROM alpine:3.20
# ARGs do not carry over to another stage
COPY <<EOF /etc/motd
token: ${NPM_TOKEN}
EOF
