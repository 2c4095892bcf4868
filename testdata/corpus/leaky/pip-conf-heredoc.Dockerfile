# syntax=docker/dockerfile:1
FROM python:3.12-slim
# want "build arg PYPI_PASSWORD carries a credential"
ARG PYPI_PASSWORD
COPY <<EOF /etc/pip.conf
[global]
# want "COPY heredoc writes build arg PYPI_PASSWORD into /etc/pip.conf"
index-url = https://ci:${PYPI_PASSWORD}@pypi.acme.corp/simple
EOF
RUN pip install acme-internal==2.4.1
