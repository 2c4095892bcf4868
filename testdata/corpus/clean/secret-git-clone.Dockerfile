# syntax=docker/dockerfile:1
FROM alpine/git:2.45.2 AS src
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    git clone --depth 1 "https://x-access-token:${GITHUB_TOKEN}@github.com/acme/models.git" /models && \
    rm -rf /models/.git

FROM python:3.12-slim
COPY --from=src /models /opt/models
CMD ["python", "-c", "import os; print(os.listdir('/opt/models'))"]
