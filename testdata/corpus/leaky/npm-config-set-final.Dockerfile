# syntax=docker/dockerfile:1
# A private registry token configured with npm config set in the image that ships.
FROM node:22-alpine
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
# want error "npm config set stores npm registry credentials in /root/.npmrc, which stays in the image layer"
    npm config set //registry.npmjs.org/:_authToken=$NPM_TOKEN && \
    npm ci --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]
