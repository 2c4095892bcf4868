# syntax=docker/dockerfile:1
FROM hashicorp/terraform:1.9 AS tf
FROM alpine:3.20
COPY --from=tf /bin/terraform /usr/local/bin/terraform
WORKDIR /infra
COPY *.tf ./
COPY modules/ modules/
RUN --mount=type=secret,id=tfrc,target=/root/.terraformrc \
    terraform init -backend=false
ENV TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/run/secrets/terraformrc
