FROM postgres:16
ENV POSTGRES_DB=app \
    POSTGRES_USER=app \
    POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password \
    POSTGRES_HOST_AUTH_METHOD=scram-sha-256
COPY initdb/*.sql /docker-entrypoint-initdb.d/
