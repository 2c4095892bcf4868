ARG NODE_VERSION=22
# global ARGs only reach FROM lines: not reported
ARG NPM_TOKEN
FROM node:${NODE_VERSION}-alpine AS deps
# want warning "build arg NPM_TOKEN carries a credential: tightlip passes it to the RUN steps as a secret mount instead; build with --secret id=NPM_TOKEN,env=NPM_TOKEN"
ARG NPM_TOKEN
# want warning "build arg GH_PAT carries a credential: tightlip passes" warning "build arg awsSecretAccessKey carries a credential: tightlip passes"
ARG GH_PAT awsSecretAccessKey
# a default that refers to a variable: the value may not come from the client
# want error "build arg SENTRY_AUTH_TOKEN carries a credential and has a default"
ARG SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}
# a placeholder default: the real value still comes as a build arg
# want error "build arg SECRET_KEY_BASE carries a credential and has a default"
ARG SECRET_KEY_BASE=placeholder
RUN npm ci
RUN <<EOF
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
EOF
RUN ["sh", "-c", "npm publish"]

FROM deps AS uses
# want error "build arg DB_PASSWORD carries a credential and cannot become a secret mount: the ENV DATABASE_URL on line \d+ reads it \(stored in the image config\)"
ARG DB_PASSWORD
ENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app
# want error "build arg LICENSE_KEY carries a credential and cannot become a secret mount: the COPY on line \d+ reads it"
ARG LICENSE_KEY
COPY licenses/${LICENSE_KEY}.lic /etc/app/
# want error "build arg VAULT_TOKEN carries a credential and cannot become a secret mount: the options of the RUN on line \d+ read it"
ARG VAULT_TOKEN
RUN --mount=type=secret,id=${VAULT_TOKEN} true
# want error "build arg API_SECRET carries a credential and cannot become a secret mount: the LABEL on line \d+ reads it"
ARG API_SECRET
LABEL checksum=$API_SECRET

FROM alpine AS from-use
# want error "build arg REGISTRY_PASSWORD carries a credential and cannot become a secret mount: the ARG on line \d+ reads it"
ARG REGISTRY_PASSWORD
# want error "build arg REGISTRY_PASSWORD carries a credential and has a default"
ARG REGISTRY_PASSWORD=${REGISTRY_PASSWORD:-none}
