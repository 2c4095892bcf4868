# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl ca-certificates jq
rm -rf /var/lib/apt/lists/*
EOF
COPY <<EOF /etc/app/config.yaml
listen: 0.0.0.0:8080
log_level: info
database:
  host: db
  user: app
  password_file: /run/secrets/db_password
EOF
COPY <<-"EOT" /usr/local/bin/entrypoint.sh
	#!/bin/sh
	set -e
	export DB_PASSWORD="$(cat /run/secrets/db_password)"
	exec "$@"
	EOT
RUN chmod +x /usr/local/bin/entrypoint.sh
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["app"]
