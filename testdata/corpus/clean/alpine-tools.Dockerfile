FROM alpine:3.20
ARG KUBECTL_VERSION=v1.31.2
ARG HELM_VERSION=v3.16.2
RUN apk add --no-cache bash curl git jq openssl && \
    curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" && \
    chmod +x /usr/local/bin/kubectl && \
    curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz" | tar -xz --strip-components=1 -C /usr/local/bin linux-amd64/helm
ENV KUBECONFIG=/etc/kube/config
CMD ["kubectl", "version", "--client"]
