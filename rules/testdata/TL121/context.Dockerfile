FROM node:22-alpine
# an .npmrc without credentials
RUN --mount=type=bind,source=.npmrc,target=/root/.npmrc npm ci
# want "RUN bind-mounts .env \(environment file with credentials\)"
RUN --mount=type=bind,source=.env,target=/app/.env npm test
