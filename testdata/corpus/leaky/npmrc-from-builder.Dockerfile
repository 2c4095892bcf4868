# syntax=docker/dockerfile:1
# The builder logs in to the registry; the runtime stage copies its home directory "for the config".
FROM node:22 AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    npm config set //npm.pkg.github.com/:_authToken=$NPM_TOKEN && \
    npm ci
COPY . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
COPY --from=builder /app/dist ./dist
COPY --from=builder /app/node_modules ./node_modules
# want error "COPY --from=builder copies /root/.npmrc, which holds npm registry credentials stored by npm config set at line 7 in stage builder, into the image"
COPY --from=builder /root/.npmrc /root/.npmrc
CMD ["node", "dist/server.js"]
