FROM bitnami/kubectl:1.31
# want warning "COPY may copy kubeconfig \(Kubernetes credentials\)"
COPY kubeconfig /.kube/config
# want error "COPY copies .env.production \(environment file with credentials\)"
COPY .env.production /app/.env
COPY .env.example /app/.env.example
# want "JSON Web Token eyJ… \(156 chars\) written in ENV" "ENV KUBE_TOKEN stores a credential"
ENV KUBE_TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6ImJ1aWxkIGJvdCIsImlhdCI6MTUxNjIzOTAyMn0.W9aTMX1C_CI3_dXRZv7qdYdk2r7xgHWPB6PRWJ1Gk8c
