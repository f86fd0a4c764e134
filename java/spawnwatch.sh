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
# The AOT cache that `make` trains (java/aot-train.sh), when there is one: the
# JVM ignores it if it does not match this JDK, jar and options, and starts
# as without it (-XX:AOTMode=auto, the default). Without a cache, -Xshare:auto
# maps the JDK's own CDS archive. The logs are off because the JDK's base
# archive was dumped without --enable-native-access, which the JVM reports on
# every start otherwise. SPAWNWATCH_AOT=train (aot-train.sh) leaves both out:
# -XX:AOTCacheOutput refuses them; SPAWNWATCH_AOT=off leaves the cache out
# (benchmarks/run.sh compares the two).
share="-Xshare:auto"
if [ "${SPAWNWATCH_AOT:-}" = train ]; then
    share=""
elif [ -r "$here/spawnwatch.aot" ] && [ "${SPAWNWATCH_AOT:-}" != off ]; then
    share="-XX:AOTCache=$here/spawnwatch.aot -Xlog:cds=off -Xlog:aot=off"
fi
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC $share \
    $SPAWNWATCH_JAVA_OPTS -jar "$here/spawnwatch.jar" "$@"
