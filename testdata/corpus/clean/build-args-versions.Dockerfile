ARG BASE_REGISTRY=docker.io
ARG ALPINE_VERSION=3.20
FROM ${BASE_REGISTRY}/library/alpine:${ALPINE_VERSION}
ARG APP_VERSION=0.0.0-dev
ARG GIT_COMMIT=unknown
ARG BUILD_DATE
ARG TARGETPLATFORM
LABEL org.opencontainers.image.version=$APP_VERSION org.opencontainers.image.revision=$GIT_COMMIT
RUN echo "building $APP_VERSION ($GIT_COMMIT) for $TARGETPLATFORM at $BUILD_DATE" > /etc/build-info
COPY bin/app-${TARGETPLATFORM#linux/} /usr/local/bin/app
