FROM redis:7.4-alpine
COPY redis.conf /usr/local/etc/redis/redis.conf
RUN --mount=type=secret,id=redis_password,target=/tmp/redis_password \
    echo "configuring ACLs from a secret that stays out of the image" && test -s /tmp/redis_password
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
