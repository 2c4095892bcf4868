FROM alpine/git AS source
# Created, used and removed in one RUN.
RUN --mount=type=secret,id=deploy_key mkdir -p /root/.ssh && cat /run/secrets/deploy_key > /root/.ssh/id_ed25519 && \
    git clone git@github.com:acme/app.git /app && \
    rm -f /root/.ssh/id_ed25519
# Removing a file no earlier instruction wrote a secret to.
RUN rm -rf /root/.ssh /tmp/*

# A builder stage: its layers are not in the image, and only the output is copied.
FROM alpine/git AS fetch
RUN --mount=type=secret,id=deploy_key mkdir -p /root/.ssh && cat /run/secrets/deploy_key > /root/.ssh/id_ed25519
RUN git clone git@github.com:acme/lib.git /lib
RUN rm -rf /root/.ssh

FROM alpine
COPY --from=source /app /app
COPY --from=fetch /lib /lib
# Files from the build context are TL120's.
COPY .env.production /app/.env
RUN ./configure && rm /app/.env
