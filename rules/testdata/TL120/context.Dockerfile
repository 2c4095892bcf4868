FROM node:22-alpine
WORKDIR /app
COPY package.json ./
# ".": every credential file left after .dockerignore is named
# want error `COPY \. copies credential files from the build context into the image: \.env \(environment file with credentials\), \.npmrc \(npm registry credentials\), certs/tls-key\.pem \(private key\) and 1 more`
COPY . /app
# .npmrc files without an auth line, or whose token is ${NPM_TOKEN}, are no credential files
COPY sub/ /app/sub/
COPY pkg/.npmrc /app/pkg/
# an env file without credentials
COPY config/ /app/config/
# --exclude keeps files out
# want error `COPY copies \.npmrc \(npm registry credentials\) from the build context into the image; add it to \.dockerignore and use --mount=type=secret,id=npmrc,target=/root/\.npmrc`
COPY --exclude=.env --exclude=**/*.pem --exclude=deploy . /app
# globs select files from the context; a certificate is no credential
# want error `COPY copies certs/tls-key.pem \(private key\)`
COPY certs/*.pem /etc/ssl/
# want error `copies deploy/id_ed25519 \(SSH private key\).*--mount=type=ssh`
COPY deploy/ /root/.ssh/
COPY deploy/id_ed25519.pub /root/.ssh/authorized_keys
# ignored by .dockerignore: not in the context (the build would fail)
COPY secrets/prod.env /app/.env
COPY node_modules/pkg/.npmrc /tmp/
# want error "COPY copies .env"
COPY ["package.json", ".env", "./"]
RUN npm ci
