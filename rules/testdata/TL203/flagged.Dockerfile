# syntax=docker/dockerfile:1
FROM node:22 AS app
WORKDIR /app
# npm config set with the token in the final stage.
# want error "npm config set stores npm registry credentials in /root/.npmrc, which stays in the image layer; .*NPM_CONFIG_USERCONFIG"
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm config set //registry.npmjs.org/:_authToken=$NPM_TOKEN && npm ci

# Git keeps whatever it is given in ~/.git-credentials.
# want "git config credential.helper store stores Git credentials in /root/.git-credentials.*GIT_CONFIG_GLOBAL"
RUN git config --global credential.helper store && \
    git clone https://github.com/acme/lib.git /lib

# A token in a clone URL stays in .git/config.
# want "git clone stores a credential in /src/.git/config, .*git remote set-url"
RUN --mount=type=secret,id=gh,env=GH_TOKEN git clone https://x-access-token:${GH_TOKEN}@github.com/acme/src.git /src

# docker login, whatever the password's origin.
# want "docker login stores Docker registry credentials in /root/.docker/config.json.*DOCKER_CONFIG"
RUN docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com

# Into a cache mount.
# want warning "pip config set stores .* in a cache mount: it persists across builds"
RUN --mount=type=cache,target=/root/.config/pip --mount=type=secret,id=pip_url,env=PIP_URL pip config set global.index-url "$PIP_URL"

# A user's home.
USER node
# want "yarn npm login stores .* in /home/node/.yarnrc.yml"
RUN --mount=type=secret,id=npm_token,env=YARN_NPM_AUTH_TOKEN yarn npm login --scope acme
