FROM node:22-alpine AS build
ARG NPM_TOKEN
# want "ENV NPM_TOKEN copies build arg NPM_TOKEN into the image config"
ENV NPM_TOKEN=${NPM_TOKEN}
ARG GH
# want "ENV GITHUB_TOKEN copies build arg GH"
ENV GITHUB_TOKEN=$GH
# want "ENV DB_PASSWORD stores a credential in the image config"
ENV DB_PASSWORD=s3cr3t-pa55
# legacy syntax, camelCase and kebab-case names
# want "ENV apiKey stores a credential"
ENV apiKey 9c1f0e7d2b
# want "ENV db-password stores a credential"
ENV db-password="hunter2hunter2"
# several pairs on one line: each is located
# want "ENV JWT_SECRET stores" "ENV CLIENT_SECRET stores"
ENV APP_ENV=production JWT_SECRET=7d9f0a1c CLIENT_SECRET='x9y8z7w6'
# a default in ${VAR:-default} is forwarding, not literal, when the var is a build arg
ARG SESSION_SECRET
# want "ENV SESSION_SECRET copies build arg SESSION_SECRET"
ENV SESSION_SECRET=${SESSION_SECRET:-fallback}
# forwarding a credential build arg under a harmless name
ARG AWS_SECRET_ACCESS_KEY
# want "ENV UPLOAD_CFG copies build arg AWS_SECRET_ACCESS_KEY"
ENV UPLOAD_CFG="key=${AWS_SECRET_ACCESS_KEY}"
# continuation lines: the finding points at the pair's own line
ENV A=1 \
# want "ENV PASSWD stores"
    PASSWD=changeme \
    B=2
# a default password is a credential
# want "ENV POSTGRES_PASSWORD stores"
ENV POSTGRES_PASSWORD=postgres
RUN npm ci

FROM build AS child
# a stage built on another sees its ENV; the child's own ENV forwarding the inherited value is not an ARG
ENV TOKEN_COPY=$NPM_TOKEN
