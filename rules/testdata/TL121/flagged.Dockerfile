FROM node:22-alpine AS build
WORKDIR /app
# want "RUN bind-mounts .npmrc \(npm registry credentials\) from the build context; mount it with --mount=type=secret,id=npmrc,target=/root/.npmrc instead"
RUN --mount=type=bind,source=.npmrc,target=/root/.npmrc npm ci
RUN --mount=type=cache,target=/root/.npm \
# want "RUN bind-mounts deploy/id_rsa \(SSH private key\).*--mount=type=ssh"
    --mount=type=bind,src=deploy/id_rsa,target=/root/.ssh/id_rsa \
    git clone git@github.com:acme/lib.git
# want "RUN bind-mounts .env"
RUN --mount=type=bind,source=./.env,target=/app/.env,rw npm run build
# mount options are expanded with the ARGs in scope
ARG CREDS=.git-credentials
# want "RUN bind-mounts .git-credentials"
RUN --mount=type=bind,source=${CREDS},target=/root/.git-credentials git fetch
