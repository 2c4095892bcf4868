FROM caddy:2.8-alpine
LABEL org.opencontainers.image.title="acme-edge" \
      org.opencontainers.image.source="https://github.com/acme/edge" \
      org.opencontainers.image.revision="4c1b6e5a3f2d1c0b9a8e7d6c5b4a39281706f5e4" \
      org.opencontainers.image.licenses="Apache-2.0" \
      com.acme.secrets.mounted="true"
COPY Caddyfile /etc/caddy/Caddyfile
COPY site/ /srv/
HEALTHCHECK --interval=10s CMD wget -qO- http://127.0.0.1:2019/config/ >/dev/null || exit 1
