# syntax=docker/dockerfile:1
FROM node:22 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm config set //npm.pkg.github.com/:_authToken=$NPM_TOKEN
COPY . .
RUN npm run build && ./keygen > /app/certs/id_rsa

# A builder that copies from the first one hands the file on.
FROM node:22 AS assets
COPY --from=build /app /assets
RUN ./minify /assets

# A stage that only --target exports.
FROM node:22-slim AS debug
# want warning "COPY --from=build copies /root/.npmrc, which holds npm registry credentials stored by npm config set at line 7 in stage build, into the layer of stage debug \(exported when built with --target debug\)"
COPY --from=build /root/.npmrc /root/.npmrc

FROM node:22-slim
WORKDIR /srv
# The whole working directory.
# want error "COPY --from=build /app copies files that hold credentials into the image: /app/.npmrc \(secret npm_token written by RUN at line 6 in stage build\), /app/certs/id_rsa"
COPY --from=build /app /srv/app
# The tool's own file.
# want error "COPY --from=build copies /root/.npmrc, which holds npm registry credentials stored by npm config set at line 7 in stage build, into the image"
COPY --from=build /root/.npmrc /root/.npmrc
# Through another builder stage, with a glob.
# want error "COPY --from=assets copies /assets/.npmrc, which holds secret npm_token written by RUN at line 6 in stage build, into the image"
COPY --from=assets /assets/.* /srv/assets/
# A file named like a credential file, created by a RUN: a warning.
# want warning "COPY --from=build copies /app/certs/id_rsa, which holds SSH private key created by RUN at line 9 in stage build"
COPY --from=build /app/certs/ /srv/certs/
# Removing the copy later does not help.
# want error "COPY --from=build copies /root/.npmrc.*; removing /tmp/npmrc at line 38 does not take it out of this layer"
COPY --from=build /root/.npmrc /tmp/npmrc
RUN rm /tmp/npmrc
