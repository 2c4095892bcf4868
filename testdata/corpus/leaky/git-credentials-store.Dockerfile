# syntax=docker/dockerfile:1
# Private Go modules fetched with a token that Git's store helper keeps in ~/.git-credentials.
FROM golang:1.23-bookworm
ENV GOPRIVATE=github.com/acme/*
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=secret,id=gh_token,env=TOKEN \
    git config --global credential.helper store && \
# want error "secret gh_token is written to /root/.git-credentials by a redirect and stays in the image layer"
    echo "https://ci:${TOKEN}@github.com" > ~/.git-credentials && \
    go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc ./cmd/svc
ENTRYPOINT ["/usr/local/bin/svc"]
