# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add --no-cache openssh-client git
RUN mkdir -p /root/.ssh && cat > /root/.ssh/id_ed25519 <<'KEY'
# want "private key OPENSSH PEM block written in a RUN heredoc"
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
Rb1+n3U6t3wI973IPFlJ5F7WRd/Px+BTHRJJbykE0+E8+5clLCZFNV8S2QT6INGD
-----END OPENSSH PRIVATE KEY-----
KEY
RUN chmod 600 /root/.ssh/id_ed25519 && git clone git@github.com:acme/ops.git /ops
