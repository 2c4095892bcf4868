# syntax=docker/dockerfile:1
FROM node:22 AS frontend
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci
COPY web/ ./
RUN npm run build

FROM golang:1.23 AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /web/dist ./internal/web/dist
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.20 AS runtime
RUN apk add --no-cache ca-certificates
COPY --from=backend /out/app /usr/local/bin/app
ENTRYPOINT ["app"]

FROM runtime AS debug
RUN apk add --no-cache curl busybox-extras
