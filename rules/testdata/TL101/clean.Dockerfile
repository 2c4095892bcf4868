# syntax=docker/dockerfile:1
FROM python:3.12-slim
# official images: GPG key fingerprints are public
ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D
ENV PYTHON_VERSION 3.12.7
ENV GPG_KEYS="4ED778F539E3634C779C87C6D7062848A1AB005C 141F07595B7B3FFE74309A937405533BE57C7D57"
# names that point at or describe a credential
ENV NPM_TOKEN_FILE=/run/secrets/npm_token \
    PASSWORD_MIN_LENGTH=12 \
    AUTH_ENABLED=true \
    TOKEN_ENDPOINT=https://auth.internal/token \
    SSH_AUTH_SOCK=/ssh-agent \
    REDIS_HOST=redis \
    DB_PORT=5432 \
    JWT_PUBLIC_KEY=/etc/jwt/public.pem \
    NEXT_PUBLIC_API_KEY=pk_browser_1234 \
    DATABASE_URL=postgres://app@db/app \
    AWS_ACCESS_KEY_ID_FILE=/run/secrets/aws_id \
    SECRET_KEY_BASE_DUMMY=1 \
    MYSQL_ALLOW_EMPTY_PASSWORD=yes \
    TOKENIZERS_PARALLELISM=false
# credential names with values that are no credential
ENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp.json
ENV API_KEY=""
ENV DB_PASSWORD=
ENV SECRET_KEY=placeholder
ENV API_TOKEN=xxxxxxxxxxxx
ENV AUTH_TOKEN="<set at runtime>"
# a reference to a variable the Dockerfile does not declare (from the base image or unset)
ENV GITHUB_TOKEN=${GITHUB_TOKEN}
# forwarding a build arg that is no credential
ARG APP_VERSION=1.0
ENV APP_VERSION=$APP_VERSION
# a placeholder inline in RUN is nobody's credential
RUN SECRET_KEY_BASE=placeholder python -c "print('collect static')"
