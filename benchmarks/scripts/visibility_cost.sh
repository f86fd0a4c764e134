#!/usr/bin/env bash
# In-kernel cost of the Visibility II hooks, by the kernel's own BPF run-time
# statistics (kernel.bpf_stats_enabled=1; run_time_ns and run_cnt of every
# program, read with bpftool before and after each loop), in one run:
#
#   - open/close on a non-web loop (`fileloop`, a process outside the web
#     lineage): what every process of the host pays for the file hooks;
#   - open/close in the lineage (the same loop under a fake nginx, writing in
#     /tmp: every open is a file event sent up): the cost per file event;
#   - a loopback TCP connect loop outside the lineage (`workload connect`):
#     with BASELINE_JAR (a sensor jar built from an earlier commit, e.g. the
#     one before Visibility II) as the baseline; with this build's connect
#     chain forced past the cgroup hooks onto the inet_sock_set_state
#     tracepoint (-Dspawnwatch.bench.skipCgroupConnect=true); and with this
#     build as it runs, on the cgroup connect4/6 hooks.
#
# Each loop also runs with no sensor first, in the same run, for the loop's own
# time per operation; the BPF time per operation is given as a share of it.
# Writes benchmarks/VISIBILITY.md (and raw data in build/bench/results/).
#
#   [BASELINE_JAR=path.jar] benchmarks/scripts/visibility_cost.sh [N_OPEN] [N_CONNECT]
#
# Needs root, a built launcher (make) and bpftool. Measurements, not tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/build/bench
RES=$B/results
N_OPEN=${1:-200000}
N_CONN=${2:-20000}
SENSOR=$ROOT/build/spawnwatch
mkdir -p "$RES"
make -s -C native/bench OUT="$B" "$B/fileloop" "$B/workload"
[ -x "$SENSOR" ] || { echo "visibility_cost.sh: build the launcher first (make)" >&2; exit 1; }

FAKE=$(mktemp -d /tmp/sw-vis-bench-XXXXXX)
ln -s /bin/bash "$FAKE/nginx"
# Baselines in memory and no exceptions file: nothing shared with a sensor of
# another version on this host.
printf 'detection:\n  state_path: null\nrules:\n  exceptions: %s/exceptions.yml\n' "$FAKE" > "$FAKE/config.yml"
SENSOR_PID=""
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
    [ -n "$SENSOR_PID" ] && kill -TERM "$SENSOR_PID" 2>/dev/null && wait "$SENSOR_PID" 2>/dev/null || true
    sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
    rm -rf "$FAKE"
}
trap cleanup EXIT

snapshot() { bpftool -j prog show 2>/dev/null || echo '[]'; }
loop() {
    case $1 in
        open) taskset -c 0 "$B/fileloop" "$N_OPEN" "$FAKE/plain.tmp" ;;
        web-open) "$FAKE/nginx" -c "taskset -c 0 '$B/fileloop' $N_OPEN '$FAKE/web.tmp'; true" ;;
        connect) taskset -c 0 "$B/workload" connect "$N_CONN" ;;
    esac
}
start_sensor() {
    local launcher=$SENSOR
    if [ "$2" = baseline ]; then
        mkdir -p "$FAKE/baseline"
        cp "$BASELINE_JAR" "$FAKE/baseline/spawnwatch.jar"
        install -m 0755 "$ROOT/java/spawnwatch.sh" "$FAKE/baseline/spawnwatch"
        launcher=$FAKE/baseline/spawnwatch
    fi
    SPAWNWATCH_JAVA_OPTS="$1" "$launcher" run --events --config "$FAKE/config.yml" --socket "$FAKE/sock" > /dev/null 2> "$RES/vis-sensor-$2.err" &
    SENSOR_PID=$!
    for _ in $(seq 1 600); do
        grep -q "hooks attached" "$RES/vis-sensor-$2.err" 2>/dev/null && return
        sleep 0.1
    done
    echo "visibility_cost.sh: the sensor did not start; see $RES/vis-sensor-$2.err" >&2
    exit 1
}
stop_sensor() {
    kill -TERM "$SENSOR_PID"
    wait "$SENSOR_PID" || true
    SENSOR_PID=""
}

OUT=$RES/visibility.jsonl
: > "$OUT"
sysctl -qw kernel.bpf_stats_enabled=1
for wl in open connect; do
    echo "{\"state\": \"none\", \"loop\": \"$wl\", \"result\": $(loop $wl)}" >> "$OUT"
done
STATES="tracepoint cgroup"
[ -n "${BASELINE_JAR:-}" ] && STATES="baseline $STATES"
for state in $STATES; do
    opts=""
    [ "$state" = tracepoint ] && opts="-Dspawnwatch.bench.skipCgroupConnect=true"
    start_sensor "$opts" "$state"
    loops="connect"
    [ "$state" = cgroup ] && loops="open web-open connect"
    for wl in $loops; do
        b=$(snapshot)
        r=$(loop "$wl")
        a=$(snapshot)
        printf '{"state": "%s", "loop": "%s", "result": %s, "before": %s, "after": %s}\n' \
            "$state" "$wl" "$r" "$b" "$a" >> "$OUT"
    done
    grep "hooks attached" "$RES/vis-sensor-$state.err" | sed 's/.*hooks attached: //' > "$RES/vis-hooks-$state.txt"
    stop_sensor
done
python3 "$ROOT/benchmarks/scripts/visibility_summary.py" "$OUT" "$N_OPEN" "$N_CONN" > "$ROOT/benchmarks/VISIBILITY.md"
cat "$ROOT/benchmarks/VISIBILITY.md"
