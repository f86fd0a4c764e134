#!/usr/bin/env bash
# In-kernel cost of the sensor's hooks, by the kernel's own BPF run-time
# statistics (kernel.bpf_stats_enabled=1; run_time_ns and run_cnt of every
# program, read with bpftool before and after each loop), in one run:
#
#   - open/close on a non-web loop (`fileloop`, a process outside the web
#     lineage): what every process of the host pays for the file hooks;
#   - a loopback TCP connect loop outside the lineage (`workload connect`);
#   - a fork+exec loop outside the lineage (`workload exec`): the fork, exec
#     and exit hooks as the rest of the host pays them;
#   - the same open/close and fork+exec loops under a fake nginx (bash by that
#     name): in the lineage every open of /tmp is a file event sent up
#     (web-open), every fork, exec and exit is followed and sent (web-exec).
#
# With BASELINE_JAR (a sensor jar built from an earlier commit, e.g. main
# before a change) every loop runs under that sensor too, beside this build,
# ROUNDS times (default 3) in turns: baseline, this build, baseline, ... With
# TRACEPOINT=1 this build also runs the connect loop with its connect chain
# forced past the cgroup hooks onto the inet_sock_set_state tracepoint
# (-Dspawnwatch.bench.skipCgroupConnect=true).
#
# The floor of the statistics themselves: with them on, the kernel times each
# run with two sched_clock() reads, so even an empty program has a run time.
# Each round measures one (bpftrace, `tracepoint:syscalls:sys_exit_openat {}`)
# under the open loop: the "floor" rows.
#
# Each loop also runs with no sensor, in each round, for the loop's own time
# per operation; the BPF time per operation is given as a share of its median.
# Writes benchmarks/VISIBILITY.md (and raw data in build/bench/results/).
#
#   [BASELINE_JAR=path.jar] [ROUNDS=3] [TRACEPOINT=1] \
#       benchmarks/scripts/visibility_cost.sh [N_OPEN] [N_CONNECT] [N_EXEC]
#
# Needs root, a built launcher (make), bpftool and bpftrace. Measurements, not tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/build/bench
RES=$B/results
N_OPEN=${1:-200000}
N_CONN=${2:-20000}
N_EXEC=${3:-2000}
ROUNDS=${ROUNDS:-3}
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
FLOOR_PID=""
OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
    [ -n "$SENSOR_PID" ] && kill -TERM "$SENSOR_PID" 2>/dev/null && wait "$SENSOR_PID" 2>/dev/null || true
    [ -n "$FLOOR_PID" ] && kill -INT "$FLOOR_PID" 2>/dev/null && wait "$FLOOR_PID" 2>/dev/null || true
    sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
    rm -rf "$FAKE"
}
trap cleanup EXIT

snapshot() { bpftool -j prog show 2>/dev/null || echo '[]'; }
loop() {
    case $1 in
        open) taskset -c 0 "$B/fileloop" "$N_OPEN" "$FAKE/plain.tmp" ;;
        connect) taskset -c 0 "$B/workload" connect "$N_CONN" ;;
        exec) taskset -c 0 "$B/workload" exec "$N_EXEC" ;;
        # "; true": the loop runs as the fake server's child (depth 1), not
        # in its place, as a web server's worker would.
        web-open) "$FAKE/nginx" -c "taskset -c 0 '$B/fileloop' $N_OPEN '$FAKE/web.tmp'; true" ;;
        web-exec) "$FAKE/nginx" -c "taskset -c 0 '$B/workload' exec $N_EXEC; true" ;;
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
LOOPS="open connect exec web-open web-exec"
STATES="cgroup"
[ -n "${BASELINE_JAR:-}" ] && STATES="baseline $STATES"
[ -n "${TRACEPOINT:-}" ] && STATES="$STATES tracepoint"
for round in $(seq 1 "$ROUNDS"); do
    for wl in open connect exec; do
        echo "{\"round\": $round, \"state\": \"none\", \"loop\": \"$wl\", \"result\": $(loop $wl)}" >> "$OUT"
    done
    bpftrace -e 'tracepoint:syscalls:sys_exit_openat { }' > "$RES/vis-floor.out" 2>&1 &
    FLOOR_PID=$!
    for _ in $(seq 1 100); do
        grep -q "Attaching" "$RES/vis-floor.out" && break
        sleep 0.1
    done
    sleep 1
    b=$(snapshot)
    r=$(loop open)
    a=$(snapshot)
    printf '{"round": %d, "state": "floor", "loop": "open", "result": %s, "before": %s, "after": %s}\n' \
        "$round" "$r" "$b" "$a" >> "$OUT"
    kill -INT "$FLOOR_PID"
    wait "$FLOOR_PID" || true
    FLOOR_PID=""
    for state in $STATES; do
        opts=""
        loops=$LOOPS
        if [ "$state" = tracepoint ]; then
            opts="-Dspawnwatch.bench.skipCgroupConnect=true"
            loops="connect"
        fi
        start_sensor "$opts" "$state"
        for wl in $loops; do
            b=$(snapshot)
            r=$(loop "$wl")
            a=$(snapshot)
            printf '{"round": %d, "state": "%s", "loop": "%s", "result": %s, "before": %s, "after": %s}\n' \
                "$round" "$state" "$wl" "$r" "$b" "$a" >> "$OUT"
        done
        grep "hooks attached" "$RES/vis-sensor-$state.err" | sed 's/.*hooks attached: //' > "$RES/vis-hooks-$state.txt"
        stop_sensor
    done
done
python3 "$ROOT/benchmarks/scripts/visibility_summary.py" "$OUT" "$N_OPEN" "$N_CONN" "$N_EXEC" "$ROUNDS" \
    > "$ROOT/benchmarks/VISIBILITY.md"
cat "$ROOT/benchmarks/VISIBILITY.md"
