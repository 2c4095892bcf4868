FROM golang:1.23 AS build
# want "ARG GITHUB_TOKEN has a credential as its default" "GitHub personal access token ghp_…"
ARG GITHUB_TOKEN=ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr
RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/base
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
