# syntax=docker/dockerfile:1
# The builder writes .npmrc into its working directory; the runtime copies the whole directory.
FROM node:22-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci --omit=dev

FROM node:22-alpine
WORKDIR /app
# want error "COPY --from=deps copies /app/.npmrc, which holds secret npm_token written by RUN at line 7 in stage deps, into the image"
COPY --from=deps /app .
COPY . .
CMD ["node", "index.js"]
