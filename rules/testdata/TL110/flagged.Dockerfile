# The credentials in this file are made up: random strings in the documented formats.
# want `AWS access key ID AKIA… \(20 chars\) written in a global ARG default`
ARG AWS_KEY_ID=AKIADKYAYQ5S37JMSNDD
FROM alpine:3.20
# want `GitHub personal access token ghp_… \(40 chars\) written in ENV \(stored in the image config\)`
ENV GH=ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr
# want "npm access token npm_… .* in an ARG default"
ARG TOKEN=npm_MuFbh7x41Ztpdp4K8ffUF0eWIXiiQE8JkqH3
# want "Slack webhook URL .* in a LABEL"
LABEL alerts="https://hooks.slack.com/services/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"
# want `password in a URL \(16 chars\) written in RUN \(recorded in the image history\)`
RUN git clone https://deploy:2RMZhYKYcwIBQxeG@git.internal.corp/app.git /src
# want "password in a URL .* in ADD"
ADD https://bot:2RMZhYKYcwIBQxeG@artifacts.corp/tool.tgz /tmp/
RUN apk add --no-cache curl && \
    curl -fsSL https://example.org/install.sh | sh && \
# want "Stripe live secret key sk_live_…"
    STRIPE_KEY=sk_live_7p3kZZl4AblV7vY7AZQ3VZpr ./configure && \
    make
# want "GitLab token" "Google API key AIza…"
RUN curl -H "PRIVATE-TOKEN: glpat-GboIRoL3u6aHwnMztVua" "https://maps.googleapis.com/api?key=AIzaunWe8Cz6SNDCdyZQJiJSZQdoHwHen3SO3oX"
RUN <<EOF
set -e
# want "GitHub fine-grained personal access token github_pat_… .* in a RUN heredoc"
export GH_TOKEN=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
gh release download
EOF
COPY <<'KEY' /root/.ssh/id_rsa
# want "private key RSA PEM block written in a file COPY writes into the image"
-----BEGIN RSA PRIVATE KEY-----
Rb1+n3U6t3wI973IPFlJ5F7WRd/Px+BTHRJJbykE0+E8+5clLCZFNV8S2QT6INGD
pyOpxyB9JKmyLDUwMbqJfgLq+nbK894RxgG9oiZ+jgttMkFp1CW54M2NhmABHkuE
-----END RSA PRIVATE KEY-----
KEY
COPY <<EOF /root/.npmrc
# want `npm registry credential \(36 chars\)`
//registry.npmjs.org/:_authToken=1b721076-0474-f36e-8b53-59309cc62739
EOF
# want "JSON Web Token eyJ…"
ENV API_JWT=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6ImJ1aWxkIGJvdCIsImlhdCI6MTUxNjIzOTAyMn0.W9aTMX1C_CI3_dXRZv7qdYdk2r7xgHWPB6PRWJ1Gk8c
# want `AWS secret access key \(40 chars\)`
RUN aws configure set aws_secret_access_key Ohg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFV
# want "Slack token xoxb-…"
CMD ["notify", "--token", "xoxb-42784980841-241182449353-RO2qGFq562dfOB1rcavXiOqk"]
# want "PyPI API token pypi-…"
RUN twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmc2BzNZV45pFCiRcDCajhDieQjEJ_Bq8F80ymm3T207gmhZRnFyy5r2xJ7Fj4mgblEv0_9BZ dist/*
# want "Docker Hub access token dckr_pat_…"
RUN echo dckr_pat_yGf3azU3iQOpMN0PZLqy1WwMZaM | docker login -u ci --password-stdin
# want "HTTP Authorization credential"
HEALTHCHECK CMD curl -fs -H "Authorization: Bearer 2RMZhYKYcwIBQxeG9aTMX1C" http://localhost/health
# want "registry credential in a Docker config"
RUN mkdir -p /root/.docker && echo '{"auths":{"ghcr.io":{"auth":"Ym90OjJSTVpoWUtZY3dJQlF4ZUc="}}}' > /root/.docker/config.json
