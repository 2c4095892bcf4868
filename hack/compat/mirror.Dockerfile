# Substitutes for the Docker Hub images that BuildKit's Dockerfile test suite copies into its registry
# mirror (no registry can be reached on the test machines). Context: the host's static busybox
# (Debian busybox-static) as ./busybox.
#
#   busybox  library/busybox:latest, library/busybox:stable-musl, and the images only a few tests use
#            (tonistiigi/hellofs:latest, amd64/debian:bullseye-20230109-slim)
#   alpine   library/alpine:latest: the same plus /etc/alpine-release, which tests use to tell alpine apart
#
# Like the official images, each is one layer: tests index the layers of images built on them.

FROM scratch AS busybox-rootfs
COPY busybox /bin/busybox
# The official image's accounts, so that USER daemon, --chown=nobody and the like resolve as upstream expects.
COPY <<EOT /etc/passwd
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOT
COPY <<EOT /etc/group
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nobody:x:65534:
EOT
# Applets as hard links in /bin, as in the official image.
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox --install /bin && mkdir -p /home /root /tmp /usr/sbin /var/spool/mail /var/www && chmod 1777 /tmp && chmod 700 /root"]
# Debian's busybox-static is built without the adduser and addgroup applets, which the official image
# has and several tests call (`adduser -D user`, `addgroup -g 2000 G && adduser -D -u 1000 -G G U`).
# These stand-ins do what the applets do for those options: the next free id from 1000, a group of the
# user's name unless -G names one, a home directory owned by the user.
COPY --chmod=0755 <<'EOT' /bin/addgroup
#!/bin/sh
# addgroup [-g GID] [-S] GROUP (stand-in for the busybox applet)
gid=
while getopts g:S o; do
	case $o in g) gid=$OPTARG ;; S) ;; *) exit 1 ;; esac
done
shift $((OPTIND - 1))
name=$1
[ -n "$name" ] || { echo "usage: addgroup [-g GID] [-S] GROUP" >&2; exit 1; }
if grep "^$name:" /etc/group >/dev/null; then echo "addgroup: group '$name' in use" >&2; exit 1; fi
if [ -z "$gid" ]; then
	gid=1000
	while cut -d: -f3 /etc/group | grep -x "$gid" >/dev/null; do gid=$((gid + 1)); done
fi
echo "$name:x:$gid:" >>/etc/group
EOT
COPY --chmod=0755 <<'EOT' /bin/adduser
#!/bin/sh
# adduser [-D] [-S] [-H] [-u UID] [-G GROUP] [-h HOME] [-s SHELL] [-g GECOS] USER (stand-in for the busybox applet)
uid= group= home= shell=/bin/sh gecos="Linux User,,," nohome=
while getopts DSHu:G:h:s:g: o; do
	case $o in
	D | S) ;;
	H) nohome=1 ;;
	u) uid=$OPTARG ;;
	G) group=$OPTARG ;;
	h) home=$OPTARG ;;
	s) shell=$OPTARG ;;
	g) gecos=$OPTARG ;;
	*) exit 1 ;;
	esac
done
shift $((OPTIND - 1))
name=$1
[ -n "$name" ] || { echo "usage: adduser [-D] [-u UID] [-G GROUP] USER" >&2; exit 1; }
if grep "^$name:" /etc/passwd >/dev/null; then echo "adduser: user '$name' in use" >&2; exit 1; fi
if [ -z "$uid" ]; then
	uid=1000
	while cut -d: -f3 /etc/passwd | grep -x "$uid" >/dev/null; do uid=$((uid + 1)); done
fi
if [ -z "$group" ]; then
	addgroup -g "$uid" "$name" 2>/dev/null || addgroup "$name" || exit 1
	group=$name
fi
gid=$(grep "^$group:" /etc/group | cut -d: -f3)
[ -n "$gid" ] || { echo "adduser: unknown group $group" >&2; exit 1; }
home=${home:-/home/$name}
echo "$name:x:$uid:$gid:$gecos:$home:$shell" >>/etc/passwd
if [ -z "$nohome" ]; then
	mkdir -p "$home" && chown "$uid:$gid" "$home"
fi
EOT

FROM busybox-rootfs AS alpine-rootfs
COPY <<EOT /etc/alpine-release
3.18.4
EOT

FROM scratch AS busybox
COPY --from=busybox-rootfs / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]

FROM scratch AS alpine
COPY --from=alpine-rootfs / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh"]
