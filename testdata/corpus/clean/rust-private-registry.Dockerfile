# syntax=docker/dockerfile:1
FROM rust:1.82-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY .cargo/config.toml .cargo/config.toml
COPY Cargo.toml Cargo.lock ./
COPY crates crates
RUN --mount=type=secret,id=cargo_token,env=CARGO_REGISTRIES_ACME_TOKEN \
    --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked && cp target/release/acme-cli /acme-cli

FROM scratch
COPY --from=build /acme-cli /acme-cli
ENTRYPOINT ["/acme-cli"]
