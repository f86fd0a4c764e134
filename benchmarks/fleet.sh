#!/usr/bin/env bash
# The fleet job's benchmark (issue 14): throughput on a recorded fleet stream
# and the delay from a window's close to its alert, against a real KRaft broker
# started on 127.0.0.1 (benchmarks/fleet/FleetBench.java says how). Writes
# build/bench/results/fleet.json and benchmarks/FLEET-RESULTS.md.
#
#   benchmarks/fleet.sh [CANDIDATES [HOSTS [DELAY_SAMPLES]]]     default 300000 100 10
#
# Needs no root and no BPF: it may run beside kernel tests, but shares the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RES=$ROOT/build/bench/results
mkdir -p "$RES"
N=${1:-300000}
HOSTS=${2:-100}
SAMPLES=${3:-10}

# One reactor build: the job, the test broker and the benchmark, and the benchmark's class path.
mvn -B -q -pl benchmarks/fleet -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$RES/fleet.classpath" 2>&1 | grep -v -e '^WARNING' -e '^\[0m' || true
CP=$ROOT/benchmarks/fleet/target/classes:$(cat "$RES/fleet.classpath")

CMD=("$JAVA_HOME/bin/java" -Xmx1g -XX:+UseSerialGC -cp "$CP" io.spawnwatch.bench.fleet.FleetBench "$RES" "$N" "$HOSTS" "$SAMPLES")
echo "[fleet bench] java -Xmx1g -XX:+UseSerialGC -cp ... io.spawnwatch.bench.fleet.FleetBench build/bench/results $N $HOSTS $SAMPLES" >&2
started=$(date -u +%FT%TZ)
"${CMD[@]}" 2> "$RES/fleet.log" > /dev/null

python3 - "$RES/fleet.json" "$ROOT/benchmarks/FLEET-RESULTS.md" "$started" "$N" "$HOSTS" "$SAMPLES" <<'PY'
import json, sys, platform
r = json.load(open(sys.argv[1]))
started, n, hosts, samples = sys.argv[3:7]
cpu = open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(' :\t')
lines = f"""# The fleet job: throughput and delay

Measured by `benchmarks/fleet.sh {n} {hosts} {samples}` (run {started}, {r['cores']} cores, {cpu}).
The machine was shared with other builds and tests while it ran: figures are a floor, not a ceiling.
The broker (Apache Kafka 4.1.1, KRaft, one node) ran in its own JVM on the same machine; its CPU is
not in the per-core figure.

## Throughput on a recorded stream

A fleet stream of {r['candidates']} candidates from {r['hosts']} hosts over 6 hours of event time
(routine groups on every host, Zipf-distributed; 2 % rare groups on one host each), generated with a
fixed seed and recorded to a file ({r['recording_bytes'] // 1_000_000} MB NDJSON), replayed into a
one-partition candidates topic ({r['replay_seconds']:.1f} s), then processed from the start by the
job: one stream thread, exactly_once_v2, RocksDB stores with changelogs, both outputs (rarity and
new terms, learning off, so every first-seen command line is written).

| measure | value |
| --- | --- |
| candidates measured (first to last commit) | {r['measured_candidates']} |
| wall time | {r['wall_seconds']:.1f} s |
| CPU time of the job's JVM | {r['cpu_seconds']:.1f} s |
| **events/s** (wall) | **{r['events_per_second']:,.0f}** |
| **events/s per core** (per CPU-second) | **{r['events_per_cpu_second']:,.0f}** |
| rarity alerts / new-terms alerts written | {r['rarity_alerts']} / {r['new_terms_alerts']} |

## Delay from a window's close to its alert

{samples} times, with the job caught up: one candidate of a new rare group in a fresh 61-minute
window, then one candidate past that window's end plus the grace (1 min here), which closes it.
Measured from sending the closing candidate to reading the alert with `read_committed`.

| measure | value |
| --- | --- |
| median | {r['delay_ms_median']} ms |
| max | {r['delay_ms_max']} ms |
| all (sorted) | {', '.join(str(x) for x in r['delay_ms'])} ms |

Beside the source's schedule: Elastic's ES|QL rule runs every 60 minutes over the last 61, so a
group becomes an alert 0 to 60 minutes (30 on average) after its window could have closed, plus the
query's run time. The fleet job writes it within the delay above after stream time passes the
window's end plus `--grace`; under exactly_once_v2 most of that delay is the 100 ms commit interval
(transactions make the alert visible to `read_committed` readers only on commit). What remains is
the grace, a setting: the job waits that long for late candidates of hosts whose sensors were
cut off, which the hourly query never waits for.
"""
open(sys.argv[2], 'w').write(lines)
print(lines)
PY
