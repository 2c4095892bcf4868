# A stand-in for the official golang image: the host's Go toolchain on the busybox base.
FROM busybox
COPY --from=goroot / /usr/local/go
ENV GOPATH=/go GOTOOLCHAIN=local PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
