FROM mysql:8.4
ENV MYSQL_RANDOM_ROOT_PASSWORD=yes \
    MYSQL_DATABASE=shop \
    MYSQL_USER=shop
ENV MYSQL_PASSWORD_FILE=/run/secrets/mysql_password
COPY conf.d/ /etc/mysql/conf.d/
