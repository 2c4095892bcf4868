FROM debian:bookworm AS vendor
RUN apt-get update && apt-get install -y git openssh-client
# want "COPY copies id_rsa \(SSH private key\)"
COPY id_rsa /root/.ssh/id_rsa
RUN chmod 600 /root/.ssh/id_rsa && ssh-keyscan github.com >> /root/.ssh/known_hosts && \
    git clone git@github.com:acme/private.git /vendor && \
    rm /root/.ssh/id_rsa

FROM debian:bookworm-slim
COPY --from=vendor /vendor /vendor
