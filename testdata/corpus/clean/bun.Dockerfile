FROM oven/bun:1.1 AS install
WORKDIR /temp/prod
COPY package.json bun.lockb ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN bun install --frozen-lockfile --production

FROM oven/bun:1.1-slim
WORKDIR /usr/src/app
COPY --from=install /temp/prod/node_modules node_modules
COPY index.ts package.json ./
USER bun
EXPOSE 3000/tcp
ENTRYPOINT [ "bun", "run", "index.ts" ]
