FROM wordpress:6.6-php8.3-apache
ENV WORDPRESS_DB_HOST=db:3306 \
    WORDPRESS_DB_USER=wordpress \
    WORDPRESS_DB_NAME=wordpress \
    WORDPRESS_DB_PASSWORD_FILE=/run/secrets/wp_db_password \
    WORDPRESS_AUTH_KEY_FILE=/run/secrets/wp_auth_key
COPY wp-content/themes/acme /var/www/html/wp-content/themes/acme
COPY wp-content/plugins/acme-blocks /var/www/html/wp-content/plugins/acme-blocks
