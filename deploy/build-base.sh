#!/bin/bash
# Builds spawnwatch's base image from Debian packages, with no image registry:
#
#   1. debootstrap --variant=minbase bookworm (signatures checked against
#      debian-archive-keyring), including libbpf1 and libelf1;
#   2. apt-get upgrade inside it from bookworm-updates and bookworm-security,
#      so the libraries carry Debian's latest fixes;
#   3. keep only the files of the packages the sensor needs at run time
#      (RUNTIME_PACKAGES below: the C library, libbpf, libelf, zlib, a shell),
#      as dpkg's own file lists name them, minus docs, manuals and iconv
#      modules, with a dpkg status that lists exactly those packages so image
#      scanners see their versions;
#   4. podman import that tree as localhost/spawnwatch-base:<suite>-<key>.
#
# The key is a hash of this script, so the base is rebuilt when the recipe
# changes and reused otherwise; --rebuild forces a fresh one (do that now and
# then to pick up Debian security updates).
#
# usage: deploy/build-base.sh [--rebuild] [--print-tag]
# environment:
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR  default: this host's apt sources,
#                                          else deb.debian.org
#   SPAWNWATCH_CACHE   debootstrap's package cache (default /var/cache/spawnwatch-deploy)
set -euo pipefail

SUITE=bookworm
# What the image needs at run time, and nothing else: libbpf.so.1 (dlopened by
# the jar) with libelf and zlib, the C library (the JVM needs nothing more),
# libgcc_s (glibc loads it to unwind threads), and dash for the entry point and
# for `podman exec ... sh`. base-files gives /etc/os-release.
RUNTIME_PACKAGES="base-files libc6 libgcc-s1 gcc-12-base zlib1g libelf1 libbpf1 dash"
# Files of those packages that the sensor never reads (iconv's gconv modules:
# the JVM has its own charsets), except the copyright files.
PRUNE_REGEX='^/usr/share/(doc|doc-base|man|info|lintian|locale|menu|bug)/|^/usr/lib/[^/]+/gconv/'
UNPRUNE_REGEX='^/usr/share/doc/[^/]+(/copyright)?$'

here=$(cd "$(dirname "$0")" && pwd)
self="$here/$(basename "$0")"
rebuild=0
print_tag=0
for arg in "$@"; do
    case "$arg" in
    --rebuild) rebuild=1 ;;
    --print-tag) print_tag=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$self" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "build-base: unknown argument: $arg (try --help)" >&2
        exit 2
        ;;
    esac
done

key=$(sha256sum "$self" | cut -c1-12)
tag="localhost/spawnwatch-base:$SUITE-$key"
if [ "$print_tag" = 1 ]; then
    echo "$tag"
    exit 0
fi

log() { echo "build-base: $*" >&2; }
die() {
    log "$*"
    exit 1
}

if [ "$rebuild" = 0 ] && podman image exists "$tag"; then
    log "reusing $tag (--rebuild to make a fresh one)"
    echo "$tag"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
for tool in debootstrap podman chroot ldconfig; do
    command -v "$tool" >/dev/null || die "$tool not found; run deploy/install-build-deps.sh"
done

arch=$(dpkg --print-architecture)
case "$arch" in
amd64) triplet=x86_64-linux-gnu ld_so=/lib64/ld-linux-x86-64.so.2 ;;
arm64) triplet=aarch64-linux-gnu ld_so=/lib/ld-linux-aarch64.so.1 ;;
*) die "architecture $arch is not supported (amd64, arm64)" ;;
esac

# The mirror this host's apt uses for a suite (deb822 .sources or one-line
# .list), so that a host behind a proxy or a local mirror builds too.
host_mirror() { # $1: suite, e.g. bookworm or bookworm-security
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk -v suite="$1" '
            BEGIN { RS = ""; FS = "\n" }
            {
                uri = ""; hit = 0; deb = 0
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
                    if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
                    if ($i ~ /^Suites:/) {
                        n = split($i, s, /[ \t]+/)
                        for (j = 2; j <= n; j++) if (s[j] == suite) hit = 1
                    }
                    if ($i ~ /^Enabled:[ \t]*no/) hit = 0
                }
                if (deb && hit && uri != "") { print uri; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v suite="$1" '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; s = ($2 ~ /^\[/) ? $4 : $3; if (s == suite) { print u; exit } }' "$f"
    done
}
# awk, not head: head would leave the loop writing into a closed pipe.
first_line() { awk 'NR == 1'; }
mirror=${DEBIAN_MIRROR:-$(host_mirror "$SUITE" | first_line)}
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-$(host_mirror "$SUITE-security" | first_line)}
security_mirror=${security_mirror:-http://deb.debian.org/debian-security}
cache=${SPAWNWATCH_CACHE:-/var/cache/spawnwatch-deploy}/debootstrap
mkdir -p "$cache"

work=$(mktemp -d "${TMPDIR:-/var/tmp}/spawnwatch-base.XXXXXX")
full="$work/full"
slim="$work/slim"
cleanup() {
    # Unmount whatever is still mounted under the work tree before deleting it.
    awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r |
        while IFS= read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s)

# 1. minbase from the Debian archive.
log "debootstrap $SUITE from $mirror (log: $work/debootstrap.log)"
if ! debootstrap --variant=minbase --include=libbpf1,libelf1 --cache-dir="$cache" \
    "$SUITE" "$full" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    die "debootstrap failed for suite=$SUITE mirror=$mirror"
fi

# 2. Debian's fixes since the point release.
log "upgrading from $SUITE-updates and $SUITE-security ($security_mirror)"
cat >"$full/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security_mirror $SUITE-security main
EOF
printf '#!/bin/sh\nexit 101\n' >"$full/usr/sbin/policy-rc.d"
chmod 0755 "$full/usr/sbin/policy-rc.d"
mount -t proc proc "$full/proc"
if ! chroot "$full" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    http_proxy="${http_proxy:-}" https_proxy="${https_proxy:-}" \
    /bin/sh -c 'apt-get update -qq && apt-get upgrade -y -qq -o Dpkg::Options::=--force-confold' \
    >"$work/upgrade.log" 2>&1; then
    tail -n 30 "$work/upgrade.log" >&2
    die "apt-get upgrade failed in the debootstrap tree"
fi
umount "$full/proc"

# 3. The runtime tree: the files of RUNTIME_PACKAGES, nothing else.
log "assembling the runtime tree from: $RUNTIME_PACKAGES"
mkdir -p "$slim"
# Merged /usr, as in the tree the files come from.
mkdir -p "$slim/usr/bin" "$slim/usr/sbin" "$slim/usr/lib" "$slim/usr/lib64"
for d in bin sbin lib lib64; do
    ln -s "usr/$d" "$slim/$d"
done
install -d -m 0755 "$slim/etc" "$slim/opt" "$slim/run" "$slim/proc" "$slim/sys" "$slim/dev" \
    "$slim/var/lib/dpkg" "$slim/var/lib/spawnwatch" "$slim/var/log"
install -d -m 1777 "$slim/tmp"
install -d -m 0700 "$slim/root"

: >"$work/files"
for p in $RUNTIME_PACKAGES; do
    list="$full/var/lib/dpkg/info/$p:$arch.list"
    [ -r "$list" ] || list="$full/var/lib/dpkg/info/$p.list"
    [ -r "$list" ] || die "package $p is not installed in the debootstrap tree"
    cat "$list" >>"$work/files"
done
# Paths as they lie in the merged-/usr tree; directories come with their files.
sed -E 's#^/(bin|sbin|lib|lib64)/#/usr/\1/#' "$work/files" |
    awk -v prune="$PRUNE_REGEX" -v unprune="$UNPRUNE_REGEX" '$0 ~ unprune || $0 !~ prune' | sort -u |
    while IFS= read -r f; do
        if [ -L "$full$f" ] || [ -f "$full$f" ]; then
            printf '%s\n' "${f#/}"
        fi
    done >"$work/keep"
tar -C "$full" --no-recursion -cf - -T "$work/keep" | tar -C "$slim" -xpf -

# Configuration that no kept package ships: root only (the sensor runs as
# root; deployments mount the host's /etc/passwd and /etc/group over these so
# that user names resolve as on the host), NSS from files, the loader's paths.
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$slim/etc/passwd"
printf 'root:x:0:\n' >"$slim/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$slim/etc/nsswitch.conf"
printf 'include /etc/ld.so.conf.d/*.conf\n' >"$slim/etc/ld.so.conf"
ldconfig -r "$slim"

# The dpkg status of exactly the kept packages.
awk -v keep=" $RUNTIME_PACKAGES " '
    BEGIN { RS = ""; ORS = "\n\n" }
    { split($0, l, "\n"); name = l[1]; sub(/^Package: /, "", name) }
    index(keep, " " name " ") && $0 ~ /\nStatus: install ok installed/ { print }
' "$full/var/lib/dpkg/status" >"$slim/var/lib/dpkg/status"
kept=$(awk '/^Package:/ { p = $2 } /^Version:/ { printf "%s%s=%s", sep, p, $2; sep = " " }' "$slim/var/lib/dpkg/status")
for p in $RUNTIME_PACKAGES; do
    case " $kept" in *" $p="*) ;; *) die "package $p is missing from the dpkg status" ;; esac
done

# The tree must stand on its own: the shell runs and libbpf's libraries resolve
# inside it, without the host's.
chroot "$slim" /bin/sh -c 'exit 0' || die "/bin/sh does not run in the runtime tree"
if ! out=$(chroot "$slim" "$ld_so" --list "/usr/lib/$triplet/libbpf.so.1" 2>&1) ||
    grep -q 'not found' <<<"$out"; then
    printf '%s\n' "$out" >&2
    die "libbpf.so.1 does not resolve its libraries inside the runtime tree"
fi

# 4. Import.
log "importing $(du -sh "$slim" | cut -f1) as $tag"
previous=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
tar -C "$slim" --numeric-owner -cf - . |
    podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/sh"]' \
        --change "LABEL io.spawnwatch.base.suite=$SUITE" \
        --change "LABEL io.spawnwatch.base.packages=\"$kept\"" \
        --message "spawnwatch base: $SUITE runtime files of $RUNTIME_PACKAGES" \
        - "$tag" >/dev/null
# After --rebuild, the base this tag named before goes, unless images still use it.
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$tag")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
fi
log "built $tag in $(($(date +%s) - start)) s"
echo "$tag"
