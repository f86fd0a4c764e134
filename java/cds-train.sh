#!/bin/sh
# Makes a class-data sharing archive for the launcher from one real start of
# the sensor: run it (on a private socket), wait for "hooks attached", stop it
# over the socket. The archive holds the classes a start loads, about a
# quarter off the time to "hooks attached" (benchmarks/RESULTS.md, start-up).
# Loading BPF needs root: without it, or if anything goes wrong, no archive is
# made and the launcher starts as before. Never fails the build.
#   java/cds-train.sh BUILD_DIR
build=$1
archive="$build/spawnwatch.jsa"
rm -f "$archive"
if [ "$(id -u)" -ne 0 ]; then
    echo "cds-train: not root, no class-data sharing archive (start-up is slower, nothing else changes)" >&2
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/spawnwatch-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT
SPAWNWATCH_JAVA_OPTS="-XX:ArchiveClassesAtExit=$archive.tmp -Xlog:cds=off -Xlog:aot=off" \
    "$build/spawnwatch" run --socket "$work/train.sock" >/dev/null 2>"$work/err" &
pid=$!
i=0
while ! grep -q "hooks attached" "$work/err" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then
        echo "cds-train: the training run did not start; no archive:" >&2
        tail -3 "$work/err" >&2
        kill $pid 2>/dev/null
        wait $pid 2>/dev/null
        rm -f "$archive.tmp"
        exit 0
    fi
    sleep 0.1
done
"$build/spawnwatch" shutdown --socket "$work/train.sock" >/dev/null 2>&1 || kill $pid
wait $pid
if [ -s "$archive.tmp" ]; then
    mv "$archive.tmp" "$archive"
fi
exit 0
