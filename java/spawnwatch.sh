#!/bin/sh
# Launcher for the spawnwatch jar: runs it on JDK 25 with native access
# enabled (the sensor calls libbpf and libc through the FFM API).
here=$(dirname "$(readlink -f "$0")")
java_home=${SPAWNWATCH_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
if [ ! -x "$java_home/bin/java" ] || ! "$java_home/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    java_home=/usr/lib/jvm/temurin-25-jdk-amd64
fi
# `spawnwatch fleet ...` is the fleet job (Kafka Streams), a jar of its own
# beside this one: no BPF, no native access, its own heap.
if [ "${1:-}" = fleet ]; then
    shift
    if [ ! -r "$here/spawnwatch-fleet.jar" ]; then
        echo "spawnwatch: fleet: $here/spawnwatch-fleet.jar is missing (make builds it)" >&2
        exit 2
    fi
    exec "$java_home/bin/java" -XX:+UseSerialGC $SPAWNWATCH_FLEET_JAVA_OPTS -jar "$here/spawnwatch-fleet.jar" "$@"
fi
# The class-data sharing archive that `make` trains (java/cds-train.sh), when
# there is one: -Xshare:auto ignores it if it does not match this JDK and jar,
# and the CDS log is off because the JDK's base archive was dumped without
# --enable-native-access, which the JVM reports on every start otherwise.
cds=""
if [ -r "$here/spawnwatch.jsa" ]; then
    cds="-XX:SharedArchiveFile=$here/spawnwatch.jsa -Xlog:cds=off -Xlog:aot=off"
fi
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto $cds \
    $SPAWNWATCH_JAVA_OPTS -jar "$here/spawnwatch.jar" "$@"
