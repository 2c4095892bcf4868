FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg && rm -rf /var/lib/apt/lists/*
COPY certs/corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates
RUN install -m 0755 -d /etc/apt/keyrings && \
    curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc && \
    chmod a+r /etc/apt/keyrings/docker.asc
COPY keys/release-signing.pub /etc/app/release-signing.pub
COPY keys/jwt-public.pem /etc/app/jwt-public.pem
ENV JWT_PUBLIC_KEY_PATH=/etc/app/jwt-public.pem
