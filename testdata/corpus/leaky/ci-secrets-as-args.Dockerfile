ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim
# want "build arg SENTRY_AUTH_TOKEN carries" "build arg CODECOV_TOKEN carries"
ARG SENTRY_AUTH_TOKEN CODECOV_TOKEN
# want "build arg hfToken carries a credential"
ARG hfToken
RUN pip install sentry-cli codecov
RUN sentry-cli releases new "$(git rev-parse HEAD)"
# want "ENV HF_TOKEN copies build arg hfToken into the image config"
ENV HF_TOKEN=${hfToken}
