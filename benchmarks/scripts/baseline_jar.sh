#!/usr/bin/env bash
# Builds the sensor jar of another commit (default: main), for measurements
# that run it beside this tree's in the same run (visibility_cost.sh's
# BASELINE_JAR), and prints its path. The jar embeds that commit's BPF
# objects. Built once per commit in a scratch worktree under build/bench/,
# then reused: build/bench/baseline-<short sha>.jar.
#
#   benchmarks/scripts/baseline_jar.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REV=${1:-main}
SHA=$(git rev-parse --short "$REV")
OUT=$ROOT/build/bench/baseline-$SHA.jar
if [ ! -f "$OUT" ]; then
    export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
    TREE=$ROOT/build/bench/baseline-$SHA.src
    rm -rf "$TREE"
    git worktree prune
    git worktree add -q --detach "$TREE" "$SHA"
    trap 'git -C "$ROOT" worktree remove --force "$TREE" 2>/dev/null || rm -rf "$TREE"' EXIT
    (cd "$TREE" && make -s build/bpf/spawnwatch.bpf.o build/bpf/probes.bpf.o build/bpf/layout.txt >&2 \
        && mvn -B -q -pl java -am package -DskipTests -Dfuzz.skip >&2)
    mkdir -p "$(dirname "$OUT")"
    cp "$(ls "$TREE"/java/target/spawnwatch-*.jar | grep -v -- '-sources\|-tests' | head -1)" "$OUT"
fi
echo "$OUT"
