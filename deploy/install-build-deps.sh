#!/bin/sh
# Installs what `make image` and deploy/test-image.sh need on a fresh Debian 12
# host: podman (with runc as its OCI runtime), debootstrap for the base image,
# and the test's tools (bpftool, jq, binutils for readelf, unzip).
# CI machines start fresh, so .ci calls this before `make image`/`make test`.
# Only missing packages are installed; running it again does nothing.
set -eu

# runc, not crun: runc runs privileged containers on these hosts (see
# ../shared/design.md). --no-install-recommends keeps the network plugins out:
# the sensor and its test run with --network=host.
packages="podman runc debootstrap debian-archive-keyring bpftool jq binutils unzip ca-certificates"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-build-deps: missing packages:$missing; run as root or install them" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-build-deps: missing packages:$missing and no apt-get here; install them with this host's package manager" >&2
    exit 1
fi
echo "install-build-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # a list of package names
apt-get install -y -qq --no-install-recommends $missing >/dev/null
