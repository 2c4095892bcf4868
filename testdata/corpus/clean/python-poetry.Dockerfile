# syntax=docker/dockerfile:1
FROM python:3.12-slim AS builder
ENV POETRY_VERSION=1.8.4 \
    POETRY_HOME=/opt/poetry \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_NO_INTERACTION=1
RUN pip install --no-cache-dir "poetry==$POETRY_VERSION"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN --mount=type=secret,id=poetry_http_basic_internal_password,env=POETRY_HTTP_BASIC_INTERNAL_PASSWORD \
    --mount=type=cache,target=/root/.cache/pypoetry \
    POETRY_HTTP_BASIC_INTERNAL_USERNAME=ci poetry install --only main --no-root

FROM python:3.12-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY app /app/app
WORKDIR /app
CMD ["python", "-m", "app"]
