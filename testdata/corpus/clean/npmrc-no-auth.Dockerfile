FROM node:22-alpine
WORKDIR /app
# the project .npmrc only pins the registry and engine-strict; the token comes from a secret mount
COPY .npmrc package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN npm ci
COPY . .
CMD ["node", "server.js"]
