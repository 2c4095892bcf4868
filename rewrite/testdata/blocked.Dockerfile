# Nothing is rewritten when a non-RUN instruction reads the credential (that is an error instead).
FROM alpine
ARG DB_PASSWORD
ENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app
RUN ./migrate
