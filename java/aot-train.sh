#!/bin/sh
# Makes the JDK 25 AOT cache for the launcher (JEP 483 and 514: classes loaded
# and linked ahead of time; JEP 515: method profiles) from one real start of
# the sensor: run it with -XX:AOTCacheOutput (on a private socket), wait for
# "hooks attached", stop it over the socket; the JVM writes the cache as it
# exits. The launcher then starts with -XX:AOTCache (benchmarks/RESULTS.md,
# start-up, has the figures beside the CDS archive it replaces).
# Loading BPF needs root: without it, or if anything goes wrong, no cache is
# made and the launcher starts as before. Never fails the build.
#   java/aot-train.sh BUILD_DIR
build=$1
cache="$build/spawnwatch.aot"
rm -f "$cache" "$build/spawnwatch.jsa" # the CDS archive of earlier builds: the cache replaces it
if [ "$(id -u)" -ne 0 ]; then
    echo "aot-train: not root, no AOT cache (start-up is slower, nothing else changes)" >&2
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/spawnwatch-aot.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The launcher leaves its own cache options out when SPAWNWATCH_AOT=train.
SPAWNWATCH_AOT=train SPAWNWATCH_JAVA_OPTS="-XX:AOTCacheOutput=$cache.tmp -Xlog:cds=off -Xlog:aot=off" \
    "$build/spawnwatch" run --socket "$work/train.sock" >/dev/null 2>"$work/err" &
pid=$!
i=0
while ! grep -q "hooks attached" "$work/err" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then
        echo "aot-train: the training run did not start; no cache:" >&2
        tail -3 "$work/err" >&2
        kill $pid 2>/dev/null
        wait $pid 2>/dev/null
        rm -f "$cache.tmp"
        exit 0
    fi
    sleep 0.1
done
"$build/spawnwatch" shutdown --socket "$work/train.sock" >/dev/null 2>&1 || kill $pid
wait $pid
if [ -s "$cache.tmp" ]; then
    mv "$cache.tmp" "$cache"
else
    echo "aot-train: the JVM wrote no cache; the launcher starts without one" >&2
    rm -f "$cache.tmp"
fi
exit 0
