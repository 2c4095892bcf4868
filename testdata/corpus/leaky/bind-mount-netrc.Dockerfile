# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
ENV GOPRIVATE=git.acme.corp
WORKDIR /src
COPY go.mod go.sum ./
# want "RUN bind-mounts .netrc \(netrc login credentials\) from the build context; mount it with --mount=type=secret,id=netrc,target=/root/.netrc instead"
RUN --mount=type=bind,source=.netrc,target=/root/.netrc go mod download
COPY . .
RUN go build -o /out/app .
