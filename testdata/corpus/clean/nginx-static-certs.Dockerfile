FROM nginx:1.27-alpine
COPY nginx/default.conf /etc/nginx/conf.d/default.conf
COPY certs/fullchain.pem /etc/nginx/certs/fullchain.pem
COPY certs/ca.pem /etc/nginx/certs/ca.pem
COPY dist/ /usr/share/nginx/html/
RUN --mount=type=secret,id=tls_key,target=/run/secrets/tls_key \
    echo "the private key is mounted at run time, not baked in"
EXPOSE 443
