# Without the build context, files are judged by name.
FROM python:3.12-slim AS build
# want warning `COPY may copy .npmrc \(npm registry credentials\) into the image`
COPY .npmrc /root/.npmrc
# want error `COPY copies .env \(environment file with credentials\)`
COPY .env ./
# want error "COPY copies .env.production"
COPY ./.env.production ./
COPY .env.example .env.sample .env.template .env.dist ./
# want error `COPY copies id_rsa \(SSH private key\)`
COPY id_rsa /root/.ssh/
# want "ADD copies .ssh/id_ed25519"
ADD .ssh/id_ed25519 /root/.ssh/
COPY id_rsa.pub /root/.ssh/authorized_keys
# want warning `may copy .ssh \(SSH directory`
COPY .ssh /root/.ssh
# want error "copies .netrc" error "copies .git-credentials" error "copies home/.aws/credentials"
COPY .netrc .git-credentials home/.aws/credentials /root/
# want warning "may copy .docker/config.json" warning "may copy kubeconfig" warning "may copy .kube/config"
COPY .docker/config.json kubeconfig .kube/config /root/
# want error "copies application_default_credentials.json" error "copies .vault-token" error "copies .htpasswd"
COPY application_default_credentials.json .vault-token .htpasswd /secrets/
# want error "copies keystore.p12" error `copies config/master.key \(Rails master key\)`
COPY keystore.p12 config/master.key /app/
# want warning `may copy tls/server.key \(private key\)` warning "may copy .terraformrc" warning "may copy .pypirc"
COPY tls/server.key .terraformrc .pypirc /etc/
# globs that select credential files by name
# want warning `may copy \*.pem \(private key\)`
COPY *.pem /etc/ssl/private/
# want warning `may copy .env\*`
COPY .env* ./
# certificates, public keys and ordinary files
COPY certs/ca.pem certs/server.crt certs/fullchain.pem keys/signing.pub.pem /etc/ssl/
COPY *.json *.py requirements.txt ./
COPY . /app
COPY src/ /app/src/
# copies from stages and images are not from the build context
COPY --from=build /root/.npmrc /tmp/
COPY --from=ghcr.io/acme/keys:1 /id_rsa /tmp/
ADD https://example.com/archive.tar.gz /tmp/
ADD git@github.com:acme/repo.git /src
