# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
WORKDIR /src
# The builder holds a credential...
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN \
    git config --global url."https://ci:${GH_TOKEN}@github.com/".insteadOf "https://github.com/"
RUN --mount=type=secret,id=netrc cp /run/secrets/netrc /root/.netrc
COPY . .
RUN go mod download && go build -o /out/app ./cmd/app

# ...and a builder that removed its file before the end.
FROM node:22 AS web
WORKDIR /web
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc
RUN npm ci && npm run build
RUN rm .npmrc

# A builder that copies the credential but hands on only its output.
FROM alpine AS pack
COPY --from=build /root /root
RUN tar -czf /out.tgz /etc/os-release

FROM gcr.io/distroless/static
# ...but only the binary reaches the image.
COPY --from=build /out/app /app
COPY --from=web /web /web
COPY --from=pack /out.tgz /out.tgz
COPY --from=build /src/go.mod /go.mod
