#!/bin/sh
# Build check on the shaded jar: the only SQLite natives in it are glibc Linux
# x86_64 and aarch64 (the platforms the sensor runs on), and both are there.
# Usage: java/check-jar.sh JAR
set -eu
jar=$1
natives=$(unzip -Z1 "$jar" 'org/sqlite/native/*' 2>/dev/null | grep -v '/$' | sed 's|/[^/]*$||' | sort -u)
expected='org/sqlite/native/Linux/aarch64
org/sqlite/native/Linux/x86_64'
if [ "$natives" != "$expected" ]; then
    echo "check-jar: $jar: SQLite natives are" >&2
    echo "$natives" | sed 's/^/  /' >&2
    echo "check-jar: expected exactly Linux/x86_64 and Linux/aarch64 (see the shade filter in java/pom.xml)" >&2
    exit 1
fi
echo "check-jar: $jar: SQLite natives for Linux x86_64 and aarch64 only ($(du -k "$jar" | cut -f1) KiB)"
