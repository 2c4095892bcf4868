# syntax=docker/dockerfile:1
FROM node:22 AS build
WORKDIR /app
RUN corepack enable
COPY .yarnrc.yml package.json yarn.lock ./
COPY .yarn/releases ./.yarn/releases
RUN --mount=type=secret,id=yarn_npm_auth_token,env=YARN_NPM_AUTH_TOKEN \
    --mount=type=cache,target=/root/.yarn/berry/cache \
    yarn install --immutable
COPY . .
RUN yarn build

FROM nginx:1.27-alpine
COPY --from=build /app/build /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
EXPOSE 80
