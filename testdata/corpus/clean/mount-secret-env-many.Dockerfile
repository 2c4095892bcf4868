# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /srv
COPY pyproject.toml .
RUN --mount=type=secret,id=sentry_auth_token,env=SENTRY_AUTH_TOKEN \
    --mount=type=secret,id=aws_access_key_id,env=AWS_ACCESS_KEY_ID \
    --mount=type=secret,id=aws_secret_access_key,env=AWS_SECRET_ACCESS_KEY \
    --mount=type=cache,target=/root/.cache/pip \
    pip install . && \
    python -m acme.upload_sourcemaps
CMD ["acme-serve"]
