# syntax=docker/dockerfile:1
# A deploy key written from a secret mount and removed two steps later: the first layer keeps it.
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client && rm -rf /var/lib/apt/lists/*
# want error "secret deploy_key is written to /root/.ssh/id_rsa by a redirect here and removed only by the RUN at line 9"
RUN --mount=type=secret,id=deploy_key mkdir -p /root/.ssh && cat /run/secrets/deploy_key > /root/.ssh/id_rsa && chmod 600 /root/.ssh/id_rsa
RUN ssh-keyscan github.com >> /root/.ssh/known_hosts && \
    pip install --no-cache-dir "git+ssh://git@github.com/acme/internal-lib.git@v1.4.0"
RUN rm /root/.ssh/id_rsa
WORKDIR /app
COPY . .
CMD ["python", "-m", "app"]
