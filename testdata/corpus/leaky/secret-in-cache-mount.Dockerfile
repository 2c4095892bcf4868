# syntax=docker/dockerfile:1
# pip's configuration, with the index credentials, written into the cache mount: every later build
# that mounts the cache can read it.
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL \
    --mount=type=cache,target=/root/.cache/pip \
# want warning "secret pip_index_url is written to /root/.cache/pip/pip.conf by a redirect in a cache mount: it persists across builds"
    printf '[global]\nindex-url = %s\n' "$PIP_INDEX_URL" > /root/.cache/pip/pip.conf && \
    PIP_CONFIG_FILE=/root/.cache/pip/pip.conf pip install -r requirements.txt
COPY . .
CMD ["python", "main.py"]
