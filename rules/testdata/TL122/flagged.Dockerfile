FROM node:22-alpine AS build
ARG NPM_TOKEN
COPY <<EOF /root/.npmrc
registry=https://registry.npmjs.org/
# want "COPY heredoc writes build arg NPM_TOKEN into /root/.npmrc in the image"
//registry.npmjs.org/:_authToken=${NPM_TOKEN}
EOF
ENV REGISTRY_PASSWORD=${REGISTRY_PASSWORD:-}
ARG GH_PAT
COPY <<-CONF /etc/app/config.yml
	registry:
# want "COPY heredoc writes ENV REGISTRY_PASSWORD into /etc/app/config.yml"
	  password: $REGISTRY_PASSWORD
# want "COPY heredoc writes build arg GH_PAT"
	  github: "${GH_PAT}"
	CONF
RUN npm ci

FROM build AS child
# ENV carries over to a stage built on another one
COPY <<EOF /tmp/creds
# want "writes ENV REGISTRY_PASSWORD"
user:$REGISTRY_PASSWORD
EOF
