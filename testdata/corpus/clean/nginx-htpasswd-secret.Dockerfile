# syntax=docker/dockerfile:1
FROM nginx:1.27
COPY nginx.conf /etc/nginx/nginx.conf
COPY public/ /usr/share/nginx/html/
# The password file is mounted by the orchestrator at run time.
ENV HTPASSWD_PATH=/run/secrets/htpasswd
EXPOSE 8080
