# A global ARG redeclared in stages; heredoc, exec-form and continued RUNs; a shared ARG line.
ARG GITHUB_TOKEN
ARG BASE=golang:1.26

FROM ${BASE} AS build
ARG GITHUB_TOKEN
ARG GOFLAGS="-trimpath" GOPRIVATE_TOKEN \
    VERSION=dev
WORKDIR /src
RUN <<EOF
git config --global url."https://x-access-token:${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
go mod download
rm ~/.gitconfig
EOF
RUN ["go", "build", "-o", "/out/app", "./cmd/app"]
    RUN --mount=type=cache,target=/root/.cache/go-build \
        go test ./...
# already mounted: not mounted twice
RUN --mount=type=secret,id=GITHUB_TOKEN,env=GITHUB_TOKEN go vet ./...

FROM gcr.io/distroless/static
COPY --from=build /out/app /app
