FROM haskell:9.8 AS build
WORKDIR /opt/app
COPY stack.yaml package.yaml /opt/app/
RUN stack setup && stack build --only-dependencies
COPY . /opt/app
RUN stack install --local-bin-path /opt/bin

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libgmp10 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/bin/app /usr/local/bin/app
CMD ["app"]
