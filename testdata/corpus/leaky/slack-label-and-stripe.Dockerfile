FROM ruby:3.3-slim
# want "Slack webhook URL hooks.slack.com… \(69 chars\) written in a LABEL"
LABEL com.acme.alerts="https://hooks.slack.com/services/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"
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
# want "Stripe live secret key sk_live_… \(32 chars\) written in RUN"
RUN STRIPE_SECRET_KEY=sk_live_7p3kZZl4AblV7vY7AZQ3VZpr bundle exec rake stripe:sync_plans
# a placeholder inline is fine
RUN SECRET_KEY_BASE=placeholder bundle exec rails assets:precompile
CMD ["bundle", "exec", "puma"]
