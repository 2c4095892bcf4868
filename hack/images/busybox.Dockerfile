# A minimal base image built from the host's static busybox (no image can be pulled on the test machines).
FROM scratch
COPY busybox /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && /bin/busybox mkdir -p /tmp /etc /root /usr/bin /usr/sbin /usr/local/bin && /bin/busybox chmod 1777 /tmp && echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd && echo 'root:x:0:' >/etc/group && echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>/etc/passwd && echo 'nogroup:x:65534:' >>/etc/group"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]
