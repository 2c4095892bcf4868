FROM ruby:3.2-alpine AS build
RUN apk add --no-cache build-base postgresql-dev nodejs yarn tzdata git
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=secret,id=bundle_gems__contribsys__com,env=BUNDLE_GEMS__CONTRIBSYS__COM \
    bundle config set --local without 'development test' && \
    bundle install --jobs 4
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN SECRET_KEY_BASE=placeholder RAILS_ENV=production bundle exec rails assets:precompile

FROM ruby:3.2-alpine
RUN apk add --no-cache postgresql-libs tzdata
WORKDIR /app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
ENV RAILS_ENV=production RAILS_LOG_TO_STDOUT=1 RAILS_SERVE_STATIC_FILES=1
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
