#!/usr/bin/env python3
"""Turns build/bench/results/visibility.jsonl (benchmarks/scripts/
visibility_cost.sh) into benchmarks/VISIBILITY.md on stdout. Standard library only."""
import json
import sys

OURS = ("handle_", "tp_", "cg_", "fentry_", "kprobe_", "fexit_")


def progs(snapshot):
    """name -> (run_time_ns, run_cnt) of the sensor's programs."""
    out = {}
    for p in snapshot:
        name = p.get("name", "")
        if name.startswith(OURS) and "run_time_ns" in p:
            t, c = out.get(name, (0, 0))
            out[name] = (t + p["run_time_ns"], c + p["run_cnt"])
    return out


def delta(row):
    b, a = progs(row["before"]), progs(row["after"])
    d = {}
    for name, (t, c) in a.items():
        t0, c0 = b.get(name, (0, 0))
        if c - c0 > 0:
            d[name] = (t - t0, c - c0)
    return d


def main():
    path, n_open, n_conn = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rows = [json.loads(l) for l in open(path)]
    base = {r["loop"]: r["result"]["ns_per_op"] for r in rows if r["state"] == "none"}
    print("# Visibility II: in-kernel cost of the file and connect hooks\n")
    print("Measured by `benchmarks/scripts/visibility_cost.sh %d %d` (kernel.bpf_stats_enabled=1: run time and"
          " run count of every BPF program, read with bpftool before and after each loop; the loop pinned to"
          " CPU 0). BPF time per loop operation, all of the sensor's programs together, and as a share of the"
          " loop's time per operation with no sensor, measured first in the same run. The machine was shared"
          " with other engineers' builds and tests while this ran: the loops' own times are noisy, the"
          " kernel's BPF run times much less so.\n" % (n_open, n_conn))
    print("Per program: how many times it ran per loop operation and its mean run time; the host's other"
          " processes run them too (the rows count every run during the loop), which is why programs unrelated"
          " to the loop show fractions.\n")
    print("| loop | sensor | loop ns/op (no sensor) | BPF ns per op | share of the loop | programs (runs per op x ns per run) |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for r in rows:
        if r["state"] == "none":
            continue
        ops = r["result"]["count"]
        d = delta(r)
        total = sum(t for t, _ in d.values()) / ops
        loop = r["loop"]
        ref = base.get(loop if loop != "web-open" else "open")
        parts = "; ".join("%s %.2fx%.0f ns" % (n, c / ops, t / c) for n, (t, c) in sorted(d.items()))
        label = {"baseline": "baseline jar (before this change)",
                 "tracepoint": "this build, connect chain forced onto the tracepoint",
                 "cgroup": "this build (connect on cgroup/connect4)"}[r["state"]]
        print("| %s | %s | %.0f | %.0f | %.2f%% | %s |" % (loop, label, ref, total, 100.0 * total / ref, parts))
    print()
    for state in ("baseline", "tracepoint", "cgroup"):
        try:
            hooks = open(path.replace("visibility.jsonl", "vis-hooks-%s.txt" % state)).read().strip()
            print("Hooks (%s): `%s`\n" % (state, hooks))
        except OSError:
            pass


if __name__ == "__main__":
    main()
