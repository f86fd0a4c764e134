#!/bin/sh
# Launcher for the spawnwatch jar: runs it on JDK 25 with native access
# enabled (the sensor calls libbpf and libc through the FFM API).
here=$(dirname "$(readlink -f "$0")")
java_home=${SPAWNWATCH_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
if [ ! -x "$java_home/bin/java" ] || ! "$java_home/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    java_home=/usr/lib/jvm/temurin-25-jdk-amd64
fi
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto \
    $SPAWNWATCH_JAVA_OPTS -jar "$here/spawnwatch.jar" "$@"
