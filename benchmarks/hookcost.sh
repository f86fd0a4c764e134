#!/usr/bin/env bash
# Hook cost by the kernel's own BPF statistics, this tree's BPF object beside
# a baseline object built from another commit (default: main), in the same
# run, rounds interleaved (issue 10). For each object and loop, native/bench/
# hookcost loads the object alone, drains its ring, enables BPF_STATS_RUN_TIME
# and runs one loop of build/bench/workload:
#
#   exec        non-web fork+exec loop: the fork/exec/exit handlers' cost to
#               the rest of the host
#   connect     non-web loopback connect loop: the connect and listen
#               handling on inet_sock_set_state (6 transitions a connection)
#   web-exec    the same fork+exec loop run as a web server (comm nginx): the
#               cost of following the lineage
#
# Prints a Markdown table (medians over the rounds: BPF ns per loop operation,
# its share of the loop's time with no BPF loaded, and per-program ns per run)
# and keeps the raw JSON lines in OUT/hookcost.jsonl.
#
#   benchmarks/hookcost.sh [--baseline REV] [--rounds N] [--out DIR]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BASE=main
ROUNDS=5
OUT=$ROOT/build/bench/results
while [ $# -gt 0 ]; do
    case $1 in
        --baseline) BASE=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "hookcost.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || { echo "hookcost.sh: run as root: it loads BPF programs" >&2; exit 1; }
B=$ROOT/build/bench
mkdir -p "$OUT"
make -s build/bpf/spawnwatch.bpf.o
make -s -C native/bench OUT="$B" "$B/hookcost" "$B/workload"

# The baseline object: the same two files from $BASE, compiled the same way.
OLD=$(mktemp -d /tmp/sw-hookcost-XXXXXX)
trap 'rm -rf "$OLD"' EXIT
git show "$BASE:bpf/spawnwatch.bpf.c" > "$OLD/spawnwatch.bpf.c"
git show "$BASE:bpf/spawnwatch.h" > "$OLD/spawnwatch.h"
ARCH=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
clang -g -O2 -Wall -target bpf -D__TARGET_ARCH_$ARCH -I"$ROOT/build/bpf" -I"$OLD" \
    -c "$OLD/spawnwatch.bpf.c" -o "$OLD/spawnwatch.bpf.o"
BASE_REV=$(git rev-parse --short "$BASE")
HEAD_REV=$(git rev-parse --short HEAD)

RAW=$OUT/hookcost.jsonl
: > "$RAW"
run() { # object label case loop count [webname]
    local obj=$1 label=$2 case=$3
    shift 3
    "$B/hookcost" "$obj" "$B/workload" "$@" \
        | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["label"]=sys.argv[1]; d["case"]=sys.argv[2]; print(json.dumps(d))' \
            "$label" "$case" >> "$RAW"
}
for ((r = 0; r < ROUNDS; r++)); do
    for pair in "$OLD/spawnwatch.bpf.o baseline" "$ROOT/build/bpf/spawnwatch.bpf.o this"; do
        set -- $pair
        run "$1" "$2" exec exec 300
        run "$1" "$2" connect connect 3000
        run "$1" "$2" web-exec exec 300 nginx
    done
    echo "hookcost: round $((r + 1))/$ROUNDS" >&2
done

python3 - "$RAW" "$BASE" "$BASE_REV" "$HEAD_REV" "$ROUNDS" <<'EOF'
import json, statistics, sys
raw, base, base_rev, head_rev, rounds = sys.argv[1:]
rows = [json.loads(l) for l in open(raw)]
def med(xs):
    return statistics.median(xs) if xs else float("nan")
print(f"Hook cost by the kernel's BPF statistics (`kernel.bpf_stats_enabled` via BPF_ENABLE_STATS), "
      f"this tree ({head_rev}) beside {base} ({base_rev}) built the same way, {rounds} interleaved rounds, "
      f"medians. Share: BPF time per loop operation over the loop's time per operation with no BPF "
      f"object loaded (measured just before each run). The machine was shared with other builds and "
      f"tests while this ran, which inflates every figure alike.\n")
print("| loop | object | BPF ns/op | share of loop | records sent/op | per program: ns per run (runs per op) |")
print("|---|---|---:|---:|---:|---|")
for case in ("exec", "connect", "web-exec"):
    for label in ("baseline", "this"):
        rs = [r for r in rows if r["case"] == case and r["label"] == label]
        if not rs:
            continue
        progs = {}
        for r in rs:
            for name, p in r["programs"].items():
                if p["run_cnt"]:
                    progs.setdefault(name, []).append((p["run_time_ns"] / p["run_cnt"], p["run_cnt"] / r["ops"]))
        per = "; ".join(f"{n} {med([x[0] for x in v]):,.0f} ({med([x[1] for x in v]):.1f})"
                        for n, v in sorted(progs.items()))
        print(f"| {case} | {label} | {med([r['bpf_ns_per_op'] for r in rs]):,.0f} | "
              f"{100 * med([r['share_of_loop'] for r in rs]):.3f}% | "
              f"{med([r['records'] / r['ops'] for r in rs]):.2f} | {per} |")
EOF
