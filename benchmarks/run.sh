#!/usr/bin/env bash
# spawnwatch benchmarks (issue 5): ring drain (JMH + C), evaluator (JMH),
# host overhead, drop-free rate and latency, start-up. Writes
# benchmarks/RESULTS.md and keeps the raw data in build/bench/results/.
#
#   benchmarks/run.sh            everything, under 15 minutes on a 2-core machine
#   benchmarks/run.sh --quick    the same with fewer repetitions, a few minutes
#   benchmarks/run.sh --only drain,startup     some sections only
#                                (drain, evaluator, overhead,hookcost, latency, startup, fleet)
#
# Needs root (BPF programs, tracepoints) and builds what it needs: the sensor
# (make), the helpers in native/bench (build/bench/), the JMH jar. Installs
# bpftrace from Debian when it is missing. Network: loopback only.
# These are measurements, not tests: nothing here fails on a slow figure.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/build/bench
RES=$B/results
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
SENSOR=$ROOT/build/spawnwatch
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

QUICK=0
ONLY=drain,evaluator,overhead,hookcost,latency,startup,fleet
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --only) ONLY=$2; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }

START_TIME=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log() { printf '[bench %4ds] %s\n' $(( $(date +%s) - START_TIME )) "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root: the benchmarks load BPF programs" >&2
    exit 1
fi

# ---------------------------------------------------------------- clean-up
BG_PIDS=()
FAKE=""
cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${BG_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$FAKE" ] && rm -rf "$FAKE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
forget_pid() { # drop $1 from BG_PIDS once it has been stopped
    local keep=() p
    for p in "${BG_PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
    BG_PIDS=("${keep[@]}")
}

# ---------------------------------------------------------------- set-up
mounted() { awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/mounts; }
mounted /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
mounted /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
if ! command -v bpftrace >/dev/null || ! command -v $PY >/dev/null || ! command -v taskset >/dev/null; then
    log "installing bpftrace, python3, util-linux from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bpftrace python3 util-linux \
        >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends bpftrace python3 util-linux >/dev/null; }
fi

log "building the sensor, native/bench and the JMH jar"
[ -x "$SENSOR" ] || make -s
make -s -C native/bench OUT="$B"
JMH_JAR=$ROOT/benchmarks/target/benchmarks.jar
if [ ! -f "$JMH_JAR" ] || [ -n "$(find benchmarks/src benchmarks/pom.xml java/src/main -newer "$JMH_JAR" -type f | head -1)" ]; then
    mvn -B -q -pl benchmarks -am package -DskipTests 2>&1 | grep -v -e '^WARNING' -e '^\[0m' || true
fi
[ -f "$JMH_JAR" ] || { echo "run.sh: the JMH jar was not built" >&2; exit 1; }

rm -rf "$RES"
mkdir -p "$RES"
echo "$QUICK" > "$RES/quick"
FAKE=$(mktemp -d /tmp/sw-bench-XXXXXX)
chmod 755 "$FAKE"
ln -s /bin/bash "$FAKE/nginx" # a "web server": comm nginx, everything it spawns is followed

# Command lines for RESULTS.md, relative to the repository root (where
# run.sh runs): $ROOT/ is dropped, the JDK and the fake nginx's temporary
# directory are shown as $JAVA_HOME and $FAKE.
portable() {
    local line=$1
    line=${line//"$ROOT/"/}
    line=${line//"$JAVA_HOME"/'$JAVA_HOME'}
    [ -n "$FAKE" ] && line=${line//"$FAKE"/'$FAKE'}
    printf '%s\n' "$line"
}
cmd() { # records a command line for RESULTS.md, then runs it
    local section=$1
    shift
    portable "$*" >> "$RES/commands-$section.txt"
    "$@"
}
note_cmd() { portable "$2" >> "$RES/commands-$1.txt"; }

# Sensor in the background; stdout to $1, stderr to $2; ready at "hooks attached".
SENSOR_PID=""
start_sensor() {
    local out=$1 err=$2
    shift 2
    "$SENSOR" run "$@" > "$out" 2> "$err" &
    SENSOR_PID=$!
    BG_PIDS+=("$SENSOR_PID")
    wait_for_line "$err" "hooks attached" 60 || { cat "$err" >&2; exit 1; }
}
stop_sensor() {
    kill -TERM "$SENSOR_PID"
    wait "$SENSOR_PID" || true
    forget_pid "$SENSOR_PID"
    SENSOR_PID=""
}
wait_for_line() { # file pattern timeout_s
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "run.sh: no '$2' in $1 after $3 s" >&2
    return 1
}
BT_PID=""
start_bpftrace() {
    bpftrace "$ROOT/benchmarks/scripts/webwatch.bt" > "$1" 2> "$2" &
    BT_PID=$!
    BG_PIDS+=("$BT_PID")
    wait_for_line "$1" "^ready" 60 || { cat "$2" >&2; exit 1; }
}
stop_bpftrace() {
    kill -INT "$BT_PID"
    wait "$BT_PID" || true
    forget_pid "$BT_PID"
    BT_PID=""
}
json_field() { $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())[sys.argv[1]])' "$1"; }

# ============================================================ 1. ring drain
if want drain; then
    log "1. ring drain: C baseline (libbpf ring_buffer__consume)"
    if [ $QUICK = 1 ]; then C_WARM=20 C_ITER=60 JMH_ARGS="-f 1 -wi 20 -i 40"; else C_WARM=40 C_ITER=200 JMH_ARGS=""; fi
    drain_c() {
        local rec mode
        for rec in exec connect; do
            for mode in decode raw; do
                cmd drain "$B/ring_drain" "$B/ringfill.bpf.o" $rec $mode 20000 64 $C_WARM $C_ITER >> "$RES/drain-c.jsonl"
            done
        done
    }
    drain_c
    log "1. ring drain: JMH (Java mmap reader, libbpf + Java upcall), -prof gc"
    # shellcheck disable=SC2086
    cmd drain "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JMH_JAR" RingDrainBenchmark $JMH_ARGS \
        -prof gc -rf json -rff "$RES/drain-jmh.json" > "$RES/drain-jmh.txt" 2>&1 \
        || { tail -30 "$RES/drain-jmh.txt" >&2; exit 1; }
    log "1. ring drain: C baseline again (drift check)"
    drain_c
fi

# ============================================================ 2. evaluator
if want evaluator; then
    # Decode, enrichment and every shipped rule per event, in process: no BPF.
    if [ $QUICK = 1 ]; then EV_ARGS="-f 1 -wi 6 -i 3"; else EV_ARGS=""; fi
    log "2. evaluator: JMH EvaluatorBenchmark (quiet, realistic, alerting mixes; decode-only baseline), -prof gc"
    # shellcheck disable=SC2086
    cmd evaluator "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JMH_JAR" EvaluatorBenchmark $EV_ARGS \
        -prof gc -rf json -rff "$RES/evaluator-jmh.json" > "$RES/evaluator-jmh.txt" 2>&1 \
        || { tail -30 "$RES/evaluator-jmh.txt" >&2; exit 1; }
    log "2. evaluator: JMH KeyTableBenchmark (key hash and repeat table, the previous implementation beside)"
    if [ $QUICK = 1 ]; then KT_ARGS="-wi 3 -i 3"; else KT_ARGS=""; fi
    # shellcheck disable=SC2086
    cmd evaluator "$JAVA" -jar "$JMH_JAR" KeyTableBenchmark $KT_ARGS -prof gc -rf json -rff "$RES/keytable-jmh.json" \
        > "$RES/keytable-jmh.txt" 2>&1 || { tail -30 "$RES/keytable-jmh.txt" >&2; exit 1; }
fi

# ============================================================ 3. host overhead
if want overhead; then
    if [ $QUICK = 1 ]; then ROUNDS=3 N_EXEC=600 N_CONN=6000; else ROUNDS=11 N_EXEC=1000 N_CONN=10000; fi
    log "3. host overhead: $ROUNDS interleaved rounds of none / spawnwatch / bpftrace"
    note_cmd overhead "workloads (loop pinned to CPU 0; the sensor is free to run on either CPU):"
    note_cmd overhead "  exec:            taskset -c 0 $B/workload exec $N_EXEC"
    note_cmd overhead "  connect:         taskset -c 0 $B/workload connect $N_CONN"
    note_cmd overhead "  exec-unpinned:   $B/workload exec $((N_EXEC / 2))"
    note_cmd overhead "  web-exec:        $FAKE/nginx -c 'taskset -c 0 $B/workload exec $N_EXEC; true'"
    note_cmd overhead "  web-connect:     $FAKE/nginx -c 'taskset -c 0 $B/workload connect $N_CONN; true'"
    note_cmd overhead "sensors: none; $SENSOR run --events > FILE (wait for 'hooks attached'); bpftrace benchmarks/scripts/webwatch.bt > FILE (wait for 'ready')"
    run_workload() {
        case $1 in
            exec) taskset -c 0 "$B/workload" exec $N_EXEC ;;
            connect) taskset -c 0 "$B/workload" connect $N_CONN ;;
            exec-unpinned) "$B/workload" exec $((N_EXEC / 2)) ;;
            web-exec) "$FAKE/nginx" -c "taskset -c 0 '$B/workload' exec $N_EXEC; true" ;;
            web-connect) "$FAKE/nginx" -c "taskset -c 0 '$B/workload' connect $N_CONN; true" ;;
        esac
    }
    states=(none spawnwatch bpftrace)
    for ((r = 0; r < ROUNDS; r++)); do
        for ((k = 0; k < 3; k++)); do
            state=${states[$(( (r + k) % 3 ))]}
            case $state in
                spawnwatch) start_sensor "$RES/overhead-sensor.out" "$RES/overhead-sensor-$r.err" --events ;;
                bpftrace) start_bpftrace "$RES/overhead-bpftrace.out" "$RES/overhead-bpftrace-$r.err" ;;
            esac
            sleep 1 # let start-up work (JIT, seeding) settle
            for wl in exec connect exec-unpinned web-exec web-connect; do
                ns=$(run_workload $wl | json_field ns_per_op)
                printf '%s\t%s\t%s\t%s\n' "$r" "$state" "$wl" "$ns" >> "$RES/overhead.tsv"
            done
            case $state in
                spawnwatch) stop_sensor ;;
                bpftrace) stop_bpftrace ;;
            esac
        done
        log "   round $((r + 1))/$ROUNDS done"
    done
    # In-kernel cost per hook, measured by the kernel itself (BPF run-time
    # statistics: run_time_ns and run_cnt per program). A separate pass, since
    # the statistics add two clock reads per program run.
    log "3. host overhead: BPF run-time statistics per hook (kernel.bpf_stats_enabled)"
    note_cmd overhead "in-kernel cost: sysctl kernel.bpf_stats_enabled=1; bpftool -j prog show before and after each loop"
    bpf_snapshot() { bpftool -j prog show 2>/dev/null || echo '[]'; }
    old_stats=$(sysctl -n kernel.bpf_stats_enabled)
    sysctl -qw kernel.bpf_stats_enabled=1
    for state in spawnwatch bpftrace; do
        case $state in
            spawnwatch) start_sensor "$RES/overhead-sensor.out" "$RES/overhead-stats-sensor.err" --events ;;
            bpftrace) start_bpftrace "$RES/overhead-bpftrace.out" "$RES/overhead-stats-bpftrace.err" ;;
        esac
        sleep 1
        for wl in exec connect web-exec web-connect; do
            before=$(bpf_snapshot)
            ops=$(run_workload $wl | json_field count)
            after=$(bpf_snapshot)
            $PY -c 'import json,sys; print(json.dumps({"state":sys.argv[1],"loop":sys.argv[2],"ops":int(sys.argv[3]),
"before":json.loads(sys.argv[4]),"after":json.loads(sys.argv[5])}))' "$state" "$wl" "$ops" "$before" "$after" \
                >> "$RES/overhead-bpfstats.jsonl"
        done
        case $state in
            spawnwatch) stop_sensor ;;
            bpftrace) stop_bpftrace ;;
        esac
    done
    sysctl -qw kernel.bpf_stats_enabled="$old_stats"
fi

# ============================================================ 3b. hook cost, this tree vs main
if want hookcost; then
    # The sensor's hooks as it attaches them (its probe chains decide which), by
    # the kernel's BPF statistics, beside main's sensor in the same run, rounds
    # in turns (benchmarks/scripts/visibility_cost.sh; it rewrites
    # benchmarks/VISIBILITY.md). Loops: non-web open/close, connect and
    # fork+exec; open/close and fork+exec in the web lineage.
    if [ $QUICK = 1 ]; then HC_ROUNDS=2; HC_N="50000 5000 500"; else HC_ROUNDS=3; HC_N="200000 20000 2000"; fi
    log "3b. hook cost: this tree's sensor beside main's, $HC_ROUNDS rounds in turns"
    HC_BASE=$("$ROOT/benchmarks/scripts/baseline_jar.sh" main)
    note_cmd hookcost "BASELINE_JAR=$HC_BASE ROUNDS=$HC_ROUNDS benchmarks/scripts/visibility_cost.sh $HC_N"
    # shellcheck disable=SC2086 # HC_N is three numbers
    BASELINE_JAR=$HC_BASE ROUNDS=$HC_ROUNDS "$ROOT/benchmarks/scripts/visibility_cost.sh" $HC_N \
        > "$RES/hookcost.log" 2>&1
    cp "$ROOT/benchmarks/VISIBILITY.md" "$RES/hookcost.md"
fi

# ============================================================ 4. drop-free rate, latency
if want latency; then
    if [ $QUICK = 1 ]; then MAX_EXEC=800 MAX_CONN=30000 LAT_S=5; else MAX_EXEC=2000 MAX_CONN=100000 LAT_S=15; fi
    # The sensor's stdout goes through a pipe to linestamp, which stamps each line as it is read.
    run_with_reader() { # name script...: one sensor run, the script runs under the fake nginx
        local name=$1 script=$2 fifo=$RES/fifo
        rm -f "$fifo"
        mkfifo "$fifo"
        "$B/linestamp" "$RES/lat-$name.tsv" < "$fifo" 2> "$RES/lat-$name.reader" &
        local reader=$!
        BG_PIDS+=("$reader")
        start_sensor "$fifo" "$RES/lat-$name.err" --events
        note_cmd latency "$name: $FAKE/nginx -c '$script'"
        "$FAKE/nginx" -c "$script" > "$RES/lat-$name.load"
        sleep 1 # the sensor drains what is left
        stop_sensor
        wait "$reader" || true
        forget_pid "$reader"
        rm -f "$fifo"
    }
    note_cmd latency "sensor: $SENSOR run --events > FIFO; $B/linestamp OUT.tsv < FIFO (default ring: 8 MiB)"
    log "4. drop-free rate: web-lineage execs and connects flat out"
    W=$B/workload
    run_with_reader max-exec "$W exec $MAX_EXEC & $W exec $MAX_EXEC & wait; true"
    run_with_reader max-connect "$W connect $MAX_CONN & $W connect $MAX_CONN & wait; true"
    run_with_reader max-mixed "$W exec $MAX_EXEC & $W connect $MAX_CONN & wait; true"
    log "4. latency floor: C libbpf consumer and the sensor's Java reader woken by the kernel, 1,000 records/s"
    cmd latency "$B/ringwake" "$B/ringfill.bpf.o" 1000 "$LAT_S" > "$RES/lat-floor.json"
    cmd latency "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$JMH_JAR" io.spawnwatch.bench.RingWake \
        1000 "$LAT_S" > "$RES/lat-floor-java.json"
    log "4. latency at ~1,000 events/s (700 connects + 300 execs per second)"
    run_with_reader latency "$W connect $((700 * 3)) --rate 700 & $W exec $((300 * 3)) --rate 300 & wait; \
echo warm-up-done; $W connect $((700 * LAT_S)) --rate 700 --times $RES/lat-connect-times.txt & \
$W exec $((300 * LAT_S)) --rate 300 & wait; true"
fi

# ============================================================ 5. start-up
if want startup; then
    if [ $QUICK = 1 ]; then REPS=3; else REPS=7; fi
    log "5. start-up: training runs for the AOT cache (as make does) and the CDS archive it replaced"
    JFLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC)
    rm -f "$B/spawnwatch.jsa"
    cmd startup java/aot-train.sh "$ROOT/build"
    [ -s "$ROOT/build/spawnwatch.aot" ] || { echo "run.sh: java/aot-train.sh made no AOT cache" >&2; exit 1; }
    cmd startup env SPAWNWATCH_AOT=off SPAWNWATCH_JAVA_OPTS="-XX:ArchiveClassesAtExit=$B/spawnwatch.jsa" \
        "$B/readytime" "hooks attached" "$SENSOR" run > /dev/null
    variant() {
        case $1 in
            launcher) "$B/readytime" "hooks attached" "$SENSOR" run ;;
            no-cache) SPAWNWATCH_AOT=off "$B/readytime" "hooks attached" "$SENSOR" run ;;
            cds) SPAWNWATCH_AOT=off SPAWNWATCH_JAVA_OPTS="-XX:SharedArchiveFile=$B/spawnwatch.jsa" \
                "$B/readytime" "hooks attached" "$SENSOR" run ;;
            aot+c1) SPAWNWATCH_JAVA_OPTS="-XX:TieredStopAtLevel=1" "$B/readytime" "hooks attached" "$SENSOR" run ;;
        esac
    }
    note_cmd startup "launcher:   $B/readytime 'hooks attached' $SENSOR run   (as shipped: build/spawnwatch.aot)"
    note_cmd startup "no-cache:   SPAWNWATCH_AOT=off (same)"
    note_cmd startup "cds:        SPAWNWATCH_AOT=off SPAWNWATCH_JAVA_OPTS=-XX:SharedArchiveFile=$B/spawnwatch.jsa (same)"
    note_cmd startup "aot+c1:     SPAWNWATCH_JAVA_OPTS=-XX:TieredStopAtLevel=1 (same)"
    note_cmd startup "breakdown:  $B/bpfload build/bpf/spawnwatch.bpf.o; $JAVA ${JFLAGS[*]} -Xshare:auto -jar build/spawnwatch.jar --help"
    variants=(launcher no-cache cds aot+c1)
    log "5. start-up: $REPS interleaved rounds of ${variants[*]}"
    for ((r = 0; r < REPS; r++)); do
        for ((k = 0; k < ${#variants[@]}; k++)); do
            v=${variants[$(( (r + k) % ${#variants[@]} ))]}
            printf '%s\t%s\n' "$v" "$(variant "$v")" >> "$RES/startup.tsv"
        done
        printf 'bpfload\t%s\n' "$("$B/bpfload" "$ROOT/build/bpf/spawnwatch.bpf.o")" >> "$RES/startup.tsv"
        t0=$(date +%s%N)
        "$JAVA" "${JFLAGS[@]}" -Xshare:auto -jar "$ROOT/build/spawnwatch.jar" --help > /dev/null
        printf 'jvm-help\t{"ms":%s}\n' "$(( ($(date +%s%N) - t0) / 1000000 ))" >> "$RES/startup.tsv"
    done
fi

# ============================================================ fleet job
# A real Kafka broker and the fleet job (no BPF): its own script and results
# file, benchmarks/FLEET-RESULTS.md.
if want fleet; then
    log "fleet job: throughput on a recorded stream, window close to alert (benchmarks/fleet.sh)"
    if [ $QUICK = 1 ]; then
        "$ROOT/benchmarks/fleet.sh" 100000 100 5
    else
        "$ROOT/benchmarks/fleet.sh"
    fi
fi

# ============================================================ RESULTS.md
log "writing benchmarks/RESULTS.md"
{
    echo "cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "cpus=$(nproc)"
    echo "memory=$(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
    echo "kernel=$(uname -r)"
    echo "jdk=$("$JAVA" -version 2>&1 | sed -n 2p)"
    echo "libbpf=$(dpkg-query -W -f='${Version}' libbpf1 2>/dev/null || echo unknown)"
    echo "bpftrace=$(bpftrace --version 2>/dev/null || echo missing)"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "mode=$([ $QUICK = 1 ] && echo quick || echo full)"
    echo "elapsed_s=$(( $(date +%s) - START_TIME ))"
    echo "sections=$ONLY"
    echo "loadavg=$LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
} > "$RES/meta.txt"
$PY "$ROOT/benchmarks/scripts/summarize.py" "$RES" > "$ROOT/benchmarks/RESULTS.md"
log "done in $(( $(date +%s) - START_TIME )) s: benchmarks/RESULTS.md (raw data in build/bench/results/)"
