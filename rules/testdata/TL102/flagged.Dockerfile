# want "ARG GITHUB_TOKEN has a credential as its default"
ARG GITHUB_TOKEN=3f9a1c0b7e2d4c5f8a6b9d0e1f2a3b4c5d6e7f80
FROM alpine:3.20
# want "ARG NPM_TOKEN has a credential as its default"
ARG NPM_TOKEN="0b7e2d4c-5f8a-6b9d-0e1f-2a3b4c5d6e7f"
# want "ARG DB_PASSWORD has a credential"
ARG DB_PASSWORD=${DB_PASSWORD:-hunter2hunter2}
# want "ARG apiKey has a credential"
ARG ANSWER=42 apiKey=k3y-v4lu3
RUN echo build
