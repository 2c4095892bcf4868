ARG NODE_VERSION=22
# global ARGs only reach FROM lines: not reported
ARG NPM_TOKEN
FROM node:${NODE_VERSION}-alpine AS deps
# want warning "build arg NPM_TOKEN carries a credential.*--mount=type=secret,id=npm_token,env=NPM_TOKEN"
ARG NPM_TOKEN
# want "build arg GH_PAT" "build arg awsSecretAccessKey"
ARG GH_PAT awsSecretAccessKey
# want "build arg SENTRY_AUTH_TOKEN"
ARG SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}
# a placeholder default: the real value still comes as a build arg
# want "build arg SECRET_KEY_BASE"
ARG SECRET_KEY_BASE=placeholder
RUN npm ci
