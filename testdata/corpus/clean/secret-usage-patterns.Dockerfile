# syntax=docker/dockerfile:1
# Secrets used the way BuildKit intends: as arguments, in the environment of one command, in files
# removed by the same RUN, through the SSH agent, or pointed at by *_FILE variables.
FROM ruby:3.3-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client build-essential && \
    rm -rf /var/lib/apt/lists/*
COPY Gemfile Gemfile.lock ./
RUN --mount=type=ssh \
    mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts && \
    bundle config set --local without "development test" && \
    bundle install
RUN --mount=type=secret,id=gh_token \
    curl -fsSL -H "Authorization: Bearer $(cat /run/secrets/gh_token)" \
      -o /usr/local/bin/acme-cli https://github.com/acme/cli/releases/download/v1.2.0/acme-cli && \
    chmod +x /usr/local/bin/acme-cli
RUN --mount=type=secret,id=license \
    TMP="$(mktemp -d)" && \
    cp /run/secrets/license "$TMP/license.key" && \
    acme-cli activate --license-file "$TMP/license.key" --offline && \
    rm -rf "$TMP"
COPY . .
RUN SECRET_KEY_BASE=placeholder bundle exec rails assets:precompile
ENV DATABASE_PASSWORD_FILE=/run/secrets/db_password RAILS_ENV=production
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
