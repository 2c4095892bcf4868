# syntax=docker/dockerfile:1
# A "debug" dump of the build environment, secret env mounts included.
FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=secret,id=bundle_token,env=BUNDLE_GEMS__ACME__COM \
    --mount=type=secret,id=sentry,env=SENTRY_AUTH_TOKEN \
    bundle install && \
# want error "secret bundle_token, secret sentry is written to /app/build-env.txt by an environment dump"
    env > /app/build-env.txt
COPY . .
CMD ["bundle", "exec", "puma"]
