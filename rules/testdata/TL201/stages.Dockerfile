# Severity follows the stage.
FROM golang:1.23 AS build
WORKDIR /src
# A builder that the final stage copies from: its layers are not exported (TL301 follows the files).
RUN --mount=type=secret,id=netrc cp /run/secrets/netrc /root/.netrc && go mod download
RUN go build -o /out/app .

# A stage that only --target exports.
FROM build AS debug
# want warning "secret t is written to /src/token by a redirect and stays in the layer of stage debug \(exported when built with --target debug\)"
RUN --mount=type=secret,id=t cat /run/secrets/t > token

# An unnamed stage that nothing uses is never built.
FROM alpine
RUN --mount=type=secret,id=t cat /run/secrets/t > /token

# A file mounted from a stage where it holds a secret, copied out.
FROM build AS base
FROM gcr.io/distroless/base AS final-base
FROM alpine
# want error "/src/root/.netrc \(mounted from stage build: secret netrc written by RUN at line 5 in stage build\) is written to /app/.netrc by cp"
RUN --mount=from=build,source=/,target=/src cp /src/root/.netrc /app/.netrc
COPY --from=build /out/app /app/app
