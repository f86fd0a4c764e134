#!/usr/bin/env python3
"""Turns the raw data benchmarks/run.sh leaves in build/bench/results/ into
benchmarks/RESULTS.md (printed to stdout). Standard library only."""
import json
import os
import re
import statistics
import sys

RES = sys.argv[1]


def path(name):
    return os.path.join(RES, name)


def exists(name):
    return os.path.exists(path(name))


def read(name):
    with open(path(name)) as f:
        return f.read()


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    i = p * (len(v) - 1)
    lo = int(i)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (i - lo)


def med(values):
    return pct(values, 0.5)


def fmt(x, digits=1):
    if x != x:  # NaN
        return "n/a"
    return f"{x:,.{digits}f}"


def commands(section):
    if not exists(f"commands-{section}.txt"):
        return ""
    lines = []
    for line in read(f"commands-{section}.txt").splitlines():
        if line not in lines:
            lines.append(line)
    fake = ("; `$FAKE` is the temporary directory holding the fake web server, a symlink named nginx to "
            "/bin/bash" if any("$FAKE" in l for l in lines) else "")
    return (f"Commands (from the repository root{fake}):\n\n```\n" + "\n".join(lines) + "\n```\n")


def counters(err_file):
    """The last 'counters: {...}' line the sensor logged on SIGTERM, as a dict."""
    found = None
    for line in read(err_file).splitlines():
        m = re.search(r"counters: \{([^}]*)\}", line)
        if m:
            found = dict((k.strip(), int(v)) for k, v in (kv.split("=") for kv in m.group(1).split(",")))
    return found or {}


def kernel_drops(c):
    return sum(v for k, v in c.items() if k.startswith("drop_"))


def user_losses(c):
    return sum(c.get(k, 0) for k in ("ring_invalid", "ring_skipped_bytes", "handler_errors", "unknown_records",
                                      "output_errors"))


meta = dict(line.split("=", 1) for line in read("meta.txt").splitlines() if "=" in line)
quick = meta.get("mode") == "quick"
out = []
w = out.append

w("# spawnwatch benchmark results\n")
w(f"Written by `benchmarks/run.sh{' --quick' if quick else ''}` ({meta.get('mode')} mode, "
  f"{int(meta.get('elapsed_s', '0')) // 60} min {int(meta.get('elapsed_s', '0')) % 60} s) on {meta.get('date')}, "
  f"commit {meta.get('commit')}. Every figure below comes with its baseline from the same run. "
  "Raw data: `build/bench/results/`. Reproduce with `make bench` (full) or `benchmarks/run.sh --quick`.\n")
w("| machine | |\n|---|---|")
w(f"| CPU | {meta.get('cpu_model')}, {meta.get('cpus')} vCPUs (KVM guest) |")
w(f"| memory | {meta.get('memory')} |")
w(f"| kernel | {meta.get('kernel')} |")
w(f"| JDK | {meta.get('jdk')} |")
w(f"| libbpf | {meta.get('libbpf')} (Debian) |")
w(f"| bpftrace | {meta.get('bpftrace')} |")
if meta.get("loadavg"):
    w(f"| load average (1, 5, 15 min) | {meta.get('loadavg')}: on 2 vCPUs anything above 1–2 is other work "
      "(builds and tests of other branches), which every figure below shares with its baseline |")
w("")

# ------------------------------------------------------------------ 1. drain
w("## 1. Ring drain\n")
if exists("drain-jmh.json") and exists("drain-c.jsonl"):
    w("A ring buffer of 64 MiB is filled from the kernel with 20,000 records (raw_tp program "
      "`native/bench/ringfill.bpf.o`, BPF_PROG_TEST_RUN + bpf_loop), then drained; one drain per iteration, "
      "refilled before each (JMH SingleShotTime, `@Setup(Level.Iteration)`), scores per record. "
      "`exec` records are the real 2,680-byte exec record (54 MB per fill: bigger than the caches, so a drain "
      "streams from memory); `connect` records are 152 bytes (3 MB, cache-resident). *decode* reads what the "
      "evaluator reads (pid, ppid, uid, lineage, comm, parent comm, exe, cwd, command line length, argc; for "
      "connects the address and port) through the production flyweights; *raw* reads one word per record "
      "(the reader's own cost). The C baseline does the same reads in a libbpf callback.\n")
    c_rows = {}
    for line in read("drain-c.jsonl").splitlines():
        j = json.loads(line)
        c_rows.setdefault((j["record"], j["mode"]), []).extend(j["samples"])
    jmh = json.loads(read("drain-jmh.json"))
    names = {
        "javaMmapDecode": ("(a) Java mmap reader (RingBuffer.poll)", "decode"),
        "javaMmapRaw": ("(a) Java mmap reader (RingBuffer.poll)", "raw"),
        "libbpfUpcallDecode": ("(b) libbpf ring_buffer__consume + Java upcall", "decode"),
        "libbpfUpcallRaw": ("(b) libbpf ring_buffer__consume + Java upcall", "raw"),
        "libbpfUpcallJextractDecode": ("(b') same, jextract callback type (segment per record)", "decode"),
        "javaMmapCountOnly": ("(a) Java mmap reader, handler reads nothing", "count"),
    }
    rows = []
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[1]
        rec = b["params"]["record"]
        samples = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("rawData", [])
        alloc = [x for fork in alloc for x in fork]
        label, mode = names.get(name, (name, "?"))
        rows.append((rec, mode, label, samples, med(alloc) if alloc else float("nan")))
    for (rec, mode), samples in c_rows.items():
        rows.append((rec, mode, "(c) C, libbpf ring_buffer__consume", samples, float("nan")))
    order = {"decode": 0, "raw": 1, "count": 2}
    for rec in ("exec", "connect"):
        w(f"**{rec} records** ({'2,680' if rec == 'exec' else '152'} bytes):\n")
        w("| reader | work | ns/record median | p10 – p90 | records/s (median) | speed vs C (same work) "
          "| bytes allocated/record |")
        w("|---|---|---:|---:|---:|---:|---:|")
        for r in sorted((r for r in rows if r[0] == rec), key=lambda r: (order.get(r[1], 2), r[2])):
            _, mode, label, samples, alloc = r
            m = med(samples)
            c = med(c_rows.get((rec, "raw" if mode == "count" else mode), [float("nan")]))
            ratio = c / m
            alloc_s = "n/a (C)" if alloc != alloc else (f"{alloc:.2f}" + (" (harness)" if alloc < 1 else ""))
            w(f"| {label} | {mode} | {fmt(m)} | {fmt(pct(samples, 0.1))} – {fmt(pct(samples, 0.9))} "
              f"| {fmt(1e9 / m, 0)} | {ratio:.2f}× | {alloc_s} |")
        w("")
    goal = []
    for rec in ("exec", "connect"):
        a = [r for r in rows if r[0] == rec and r[1] == "decode" and r[2].startswith("(a)")]
        c = c_rows.get((rec, "decode"))
        if a and c:
            ratio = med(c) / med(a[0][3])
            verdict = "met" if ratio >= 1 else f"missed by {(1 - ratio) * 100:.0f}%"
            goal.append(f"{rec}: (a)/(c) = {ratio:.2f}× ({verdict})")
    w("Goal (a) at least as fast as (c): " + "; ".join(goal) + ".\n")
    w("Speed vs C is (C median ns) / (this median ns): above 1 is faster than C. Bytes allocated per record is "
      "the median over iterations of JMH `-prof gc` `gc.alloc.rate.norm`; below 1 byte it is the harness's own "
      "per-iteration allocation (about 5.7 KB per iteration spread over 20,000 records; the raw baseline, "
      "which allocates nothing, shows the same), i.e. zero per record.\n")
    w(commands("drain"))
else:
    w("Not run in this invocation.\n")

# ------------------------------------------------------------------ 2. evaluator
w("## 2. Evaluator\n")
if exists("evaluator-jmh.json"):
    w("The whole user-space path per event on one thread, as `Sensor.onRecord` runs it on the ring reader "
      "thread: `EnrichedEvent.wrap` over a record laid out byte for byte as the kernel writes it, in a native "
      "segment (every exec is copied into the process table), then every shipped rule through "
      "`RuleEngine.evaluate` with the default detection configuration (baselines in memory). The events are "
      "those of a Debian 12 nginx + php-fpm 8.2 host (`benchmarks/src/main/java/io/spawnwatch/bench/"
      "WebHostEvents.java`), in a fixed shuffled order, one per JMH operation; each gets a fresh timestamp. "
      "Mixes: *quiet*, only events that match no rule (php-fpm connecting to MySQL on 127.0.0.1:3306, Redis, "
      "Memcached and an external API on 443, nginx connecting to its upstream, convert and gs run under "
      "`sh -c`); *realistic*, 88% those, 8% that match a rarity or new-terms rule and are quiet once seen "
      "(php-fpm running `sh -c convert ...` and sendmail) and 4% a web shell's steps (`sh -c 'curl -so "
      "/tmp/.x ...'`, curl into /tmp, the dropped file run, its connect to port 4444); *alerting*, only the "
      "web shell's steps. Each alerting event carries a six-digit token (file name, command line, "
      "destination address) rewritten per event, so it keeps passing new-terms, rarity and repeat "
      "suppression as a new attack would. Alerts are rendered to their ECS line as `Sensor.writeAlert` does "
      "(Jackson into a reused buffer, copied out) and handed to a JMH Blackhole instead of stdout. Steady "
      "state: the pids are fixed and a first pass over every event runs in the set-up, so every pid, parent "
      "and lineage root an event names is in the process table (the web servers, which never exec, are read "
      "once from a fake /proc); the tear-down fails the run if a table slot was reused or a pid read while "
      "measuring. *decode only* is the baseline: the same events wrapped (process table included), no rule "
      "run.\n")
    jmh = json.loads(read("evaluator-jmh.json"))
    census = {}
    if exists("evaluator-jmh.txt"):
        for line in read("evaluator-jmh.txt").splitlines():
            m = re.search(r"evaluator-census mix=(\S+) (.*)", line)
            if m and m.group(1) not in census:
                census[m.group(1)] = dict(kv.split("=") for kv in m.group(2).split())
    runs = {}
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[1]
        mix = b["params"]["mix"]
        samples = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        sec = b.get("secondaryMetrics", {})
        alloc = [x for fork in sec.get("gc.alloc.rate.norm", {}).get("rawData", []) for x in fork]
        alerts = [x for fork in sec.get("alerts", {}).get("rawData", []) for x in fork]
        cpu = [x for fork in sec.get("cpuNanos", {}).get("rawData", []) for x in fork]
        # events per second of the thread's own CPU time, iteration by iteration
        per_core = [e / (c / 1e9) for e, c in zip(samples, cpu) if c > 0] if len(cpu) == len(samples) else []
        runs[(name, mix)] = (samples, alloc, alerts, per_core)
    mixes = [m for m in ("quiet", "realistic", "alerting") if ("evaluate", m) in runs]
    w("| mix | work | events/s (median) | min – max | events per CPU-second (median) | CPU ns/event "
      "| vs decode only | bytes allocated/event | alerts/event |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    goal_rate, goal_alloc = [], []
    for mix in mixes:
        base = runs.get(("decodeOnly", mix))
        base_ns = float("nan")
        if base:
            base_ns = 1e9 / med(base[3] if base[3] else base[0])
        for name, label in (("decodeOnly", "decode only (baseline)"), ("evaluate", "decode + every rule")):
            r = runs.get((name, mix))
            if not r:
                continue
            samples, alloc, alerts, per_core = r
            rate = med(samples)
            core = med(per_core) if per_core else float("nan")
            ns = 1e9 / (core if per_core else rate)
            a = med(alloc) if alloc else float("nan")
            alloc_s = "n/a" if a != a else (f"{a:,.0f}" if a >= 1 else f"{a:.3f} (zero)")
            per_event = (f"{sum(alerts) / sum(samples):.3f}" if alerts and sum(samples) else "–")
            ratio = f"{ns / base_ns:.1f}× the time" if name == "evaluate" else "1.0×"
            w(f"| {mix} | {label} | {fmt(rate, 0)} | {fmt(min(samples), 0)} – {fmt(max(samples), 0)} | "
              f"{fmt(core, 0) if per_core else 'n/a'} | {fmt(ns)} | {ratio} | {alloc_s} | {per_event} |")
            if name == "evaluate":
                figure = core if per_core else rate
                if mix == "alerting":
                    verdict = "every event an attack step: the worst case, not the goal's mix"
                else:
                    verdict = "met" if figure >= 3e6 else f"missed by {(1 - figure / 3e6) * 100:.0f}%"
                goal_rate.append(f"{mix} {figure / 1e6:.2f} M/s per core ({verdict})")
                if mix == "quiet":
                    goal_alloc.append(f"quiet mix {a:.3f} bytes/event ({'met' if a < 1 else 'missed'})")
    w("")
    if census:
        w("What each mix does in the rules, counted in the set-up over ten passes of its sequence after the "
          "first (deterministic; per event):\n")
        w("| mix | rule matches | quiet by rarity/new terms | quiet by repeat suppression | alerts |")
        w("|---|---:|---:|---:|---:|")
        for mix in mixes:
            c = census.get(mix)
            if c:
                n = int(c["events"])
                w(f"| {mix} | {int(c['matched']) / n:.3f} | {int(c['quiet_by_baseline']) / n:.3f} | "
                  f"{int(c['quiet_by_dedup']) / n:.3f} | {int(c['alerted']) / n:.3f} |")
        w("")
    if exists("keytable-jmh.json"):
        kt = {}
        for b in json.loads(read("keytable-jmh.json")):
            name = b["benchmark"].rsplit(".", 1)[1]
            samples = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            alloc = [x for fork in b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("rawData", [])
                     for x in fork]
            kt[(name, b["params"]["keys"])] = (med(samples), med(alloc) if alloc else float("nan"))
        w("Per matched key, with the previous implementation beside it in the same run (`KeyTableBenchmark`, "
          "ns per operation, median of iterations; bytes allocated per operation): hashing a key's 180 bytes, "
          "and admitting an alert key into the repeat suppression (10,000 keys) when every key is new (*flood*, "
          "a fresh token per attack step) and when the keys are held (*repeat*).\n")
        w("| work | keys | now | ns/op | bytes/op | before | ns/op | bytes/op | now vs before |")
        w("|---|---|---|---:|---:|---|---:|---:|---:|")
        for now_, before_, label, now_name, before_name in (
                ("hashXxh3", "hashSha256", "key hash", "XXH3-128 (hash4j)", "SHA-256"),
                ("admitPrimitive", "admitBoxed", "repeat table", "open-addressed primitive LRU",
                 "LinkedHashMap<Key, Window>")):
            for keys in ("flood", "repeat"):
                a, b = kt.get((now_, keys)), kt.get((before_, keys))
                if a and b:
                    w(f"| {label} | {keys} | {now_name} | {fmt(a[0])} | {a[1]:.0f} | {before_name} | {fmt(b[0])} "
                      f"| {b[1]:.0f} | {b[0] / a[0]:.1f}× faster |")
        w("")
    w("Goal at least 3 million events/s per core on a realistic mix (events per CPU-second of the benchmark "
      "thread): " + "; ".join(goal_rate) + ".\n")
    w("Goal no allocation for events that match no rule: " + "; ".join(goal_alloc) + ".\n")
    w("Events/s is JMH throughput of one benchmark thread (the median over iterations and forks); the JVM's "
      "JIT and GC threads run on the other vCPU. Events per CPU-second divides each iteration's events by the "
      "CPU time the benchmark thread got in it (JMH aux counter `cpuNanos`, ThreadMXBean): on a machine shared "
      "with other builds the thread waits for a CPU part of the time, which lowers events/s but not this; CPU "
      "ns/event and the decode-only ratio are from it. Bytes allocated per event is the median of JMH `-prof gc` "
      "`gc.alloc.rate.norm`; below 1 byte it is the harness's own allocation spread over millions of events, "
      "i.e. zero. Alerts/event is the rate of alerts reaching the sink over the rate of events.\n")
    w(commands("evaluator"))
else:
    w("Not run in this invocation.\n")

# ------------------------------------------------------------------ 3. overhead
w("## 3. Host overhead\n")
if exists("overhead.tsv"):
    data = {}
    for line in read("overhead.tsv").splitlines():
        r, state, wl, ns = line.split("\t")
        data.setdefault((wl, state), {})[int(r)] = float(ns)
    rounds = sorted({r for v in data.values() for r in v})
    w(f"Each loop times itself from inside (no process start-up in the figure); {len(rounds)} rounds, and in "
      "each round the three states run back to back in a rotating order: no sensor, spawnwatch (`run "
      "--events`, every event it receives is written out), and bpftrace with `benchmarks/scripts/webwatch.bt` "
      "(the same tracepoints and the same nginx-lineage filter, one printf per matching event). The loops are "
      "pinned to CPU 0 with taskset (a fork+exec loop that is free to migrate waits on vCPU wake-ups on this "
      "KVM guest: 2 ms per exec instead of 0.75 ms, and the wake-up latency, not the hooks, sets the time); "
      "`exec-unpinned` shows that case. The *web-* loops run under a fake web server (a symlink named nginx "
      "to bash), so every exec and connect is sent up. Ratio = median over rounds of (state / no sensor in "
      "the same round); then the interquartile range and min – max of those per-round ratios. A difference is "
      "resolved only where the interquartile range excludes 1.\n")
    w("| loop | no sensor: median per op | spawnwatch: ratio [IQR] (min – max) | bpftrace: ratio [IQR] (min – max) |")
    w("|---|---:|---:|---:|")
    summary = {}
    for wl in ("exec", "connect", "exec-unpinned", "web-exec", "web-connect"):
        base = data.get((wl, "none"), {})
        if not base:
            continue
        cells = []
        for state in ("spawnwatch", "bpftrace"):
            s = data.get((wl, state), {})
            ratios = [s[r] / base[r] for r in rounds if r in s and r in base]
            summary[(wl, state)] = (med(ratios), pct(ratios, .25), pct(ratios, .75)) if ratios else None
            cells.append(f"{med(ratios):.3f} [{pct(ratios, .25):.3f} – {pct(ratios, .75):.3f}] "
                         f"({min(ratios):.3f} – {max(ratios):.3f})" if ratios else "n/a")
        b = med(list(base.values()))
        unit = f"{b / 1000:,.1f} µs" if b >= 1000 else f"{b:.0f} ns"
        w(f"| {wl} | {unit} | {cells[0]} | {cells[1]} |")
    w("")
    drops = []
    for f in sorted(os.listdir(RES)):
        if f.startswith("overhead-sensor-") and f.endswith(".err"):
            c = counters(f)
            drops.append((kernel_drops(c), user_losses(c), c.get("exec_sent", 0) + c.get("connect_sent", 0)))
    if drops:
        w(f"spawnwatch counters over its {len(drops)} runs: {sum(d[2] for d in drops):,} events sent, kernel "
          f"drops {sum(d[0] for d in drops)}, user-side losses {sum(d[1] for d in drops)}.\n")
    if exists("overhead-bpfstats.jsonl"):
        w("**In-kernel cost, measured by the kernel** (`kernel.bpf_stats_enabled=1`: run time and run count of "
          "every BPF program, read with bpftool before and after one loop of each kind): BPF time per loop "
          "operation, all programs together, and as a share of the loop's median time per operation with no "
          "sensor. This is the hooks' cost on the loop's own CPU, free of the scheduling noise above; for the "
          "non-web loops nothing is sent, so there is no user-side work either.\n")
        w("| loop | spawnwatch: BPF ns/op | share | bpftrace: BPF ns/op | share | programs that ran (spawnwatch) |")
        w("|---|---:|---:|---:|---:|---|")
        stats = {}
        for line in read("overhead-bpfstats.jsonl").splitlines():
            j = json.loads(line)
            before = {p["id"]: p for p in j["before"]}
            total = 0
            ran = []
            for p in j["after"]:
                b = before.get(p["id"], {})
                dt = p.get("run_time_ns", 0) - b.get("run_time_ns", 0)
                dc = p.get("run_cnt", 0) - b.get("run_cnt", 0)
                if dc > 0:
                    total += dt
                    ran.append(f"{p.get('name', '?')} {dc / j['ops']:.1f}×{dt / dc:,.0f} ns")
            stats[(j["loop"], j["state"])] = (total / j["ops"], ran)
        for wl in ("exec", "connect", "web-exec", "web-connect"):
            base = med(list(data.get((wl, "none"), {}).values()) or [float("nan")])
            a = stats.get((wl, "spawnwatch"), (float("nan"), []))
            b = stats.get((wl, "bpftrace"), (float("nan"), []))
            w(f"| {wl} | {fmt(a[0], 0)} | {a[0] / base * 100:.2f}% | {fmt(b[0], 0)} | {b[0] / base * 100:.2f}% "
              f"| {'; '.join(a[1])} |")
        w("")
    goal_lines = []
    for wl in ("exec", "connect"):
        s_ = summary.get((wl, "spawnwatch"))
        if s_:
            m, lo, hi = s_
            if hi <= 1.01:
                verdict = "met"
            elif lo > 1.01:
                verdict = "missed"
            else:
                verdict = f"not resolved: the IQR {lo:.3f} – {hi:.3f} is wider than the 1% to be shown"
            goal_lines.append(f"{wl} {((m - 1) * 100):+.1f}% ({verdict})")
    cmp_lines = []
    for wl in ("exec", "connect", "web-exec", "web-connect"):
        a, b = summary.get((wl, "spawnwatch")), summary.get((wl, "bpftrace"))
        if a and b:
            cmp_lines.append(f"{wl} {a[0]:.3f} vs {b[0]:.3f} ({'below' if a[0] < b[0] else 'not below'})")
    w("Goal within 1% of no sensor for the non-web loops: " + "; ".join(goal_lines) + ".\n")
    w("Goal below bpftrace everywhere (spawnwatch vs bpftrace median ratios): " + "; ".join(cmp_lines) + ".\n")
    w(commands("overhead"))
else:
    w("Not run in this invocation.\n")

# ------------------------------------------------------------------ 4. latency
w("## 4. Drop-free rate and latency\n")
if exists("lat-latency.tsv"):
    w("The sensor runs with its default configuration (8 MiB ring) and `--events`; its stdout is a pipe read "
      "by `build/bench/linestamp`, which stamps every line when read(2) returns. Load: `workload` processes "
      "started by the fake nginx, i.e. web lineage, so every exec and connect goes up. Kernel drops are the "
      "sensor's `drop_*` counters, user-side losses its `ring_invalid`, `handler_errors`, `unknown_records` and "
      "`output_errors`; every line sent must also be read.\n")
    w("| load | generated ops/s | events sent | events/s | lines read | kernel drops | user-side losses |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for name, label in (("max-exec", "2 exec loops, flat out"), ("max-connect", "2 connect loops, flat out"),
                        ("max-mixed", "1 exec + 1 connect loop, flat out")):
        if not exists(f"lat-{name}.err"):
            continue
        c = counters(f"lat-{name}.err")
        loads = [json.loads(l) for l in read(f"lat-{name}.load").splitlines() if l.startswith("{")]
        ops = sum(l["count"] for l in loads)
        secs = max(l["elapsed_ns"] for l in loads) / 1e9 if loads else float("nan")
        sent = c.get("exec_sent", 0) + c.get("connect_sent", 0)
        lines = sum(1 for l in read(f"lat-{name}.tsv").splitlines() if not l.startswith("#"))
        w(f"| {label} | {fmt(ops / secs, 0)} | {sent:,} | {fmt(sent / secs, 0)} | {lines:,} | {kernel_drops(c)} "
          f"| {user_losses(c)}{'' if lines == sent else f' (read {lines - sent:+d} vs sent)'} |")
    w("")
    # latency run: measured phase only (the second workload pair)
    loads = [json.loads(l) for l in read("lat-latency.load").splitlines() if l.startswith("{")]
    measured = loads[2:] if len(loads) >= 4 else loads
    conn_pid = next((l["pid"] for l in measured if l["mode"] == "connect"), None)
    exec_pid = next((l["pid"] for l in measured if l["mode"] == "exec"), None)
    rows = []
    offsets = []
    for line in read("lat-latency.tsv").splitlines():
        if line.startswith("#"):
            m = re.search(r"offset_\w+_ns (-?\d+)", line)
            if m:
                offsets.append(int(m.group(1)))
            continue
        kind, pid, ppid, ts, real, boot = line.split("\t")
        rows.append((kind, int(pid), int(ppid), int(ts), int(real), int(boot)))
    conn = [r for r in rows if r[0] == "connect" and r[1] == conn_pid]
    execs = [r for r in rows if r[0] == "exec" and r[2] == exec_pid]
    c = counters("lat-latency.err")
    secs = max(l["elapsed_ns"] for l in measured) / 1e9
    w(f"**Latency at ~1,000 events/s** ({len(conn) + len(execs):,} events in {secs:.0f} s after a 3 s warm-up: "
      "700 connects/s + 300 execs/s from the web lineage; kernel drops "
      f"{kernel_drops(c)}, user-side losses {user_losses(c)}). Latency = time the line was read − the event's "
      "`@timestamp` (kernel `bpf_ktime_get_boot_ns()` at the hook, converted by the sensor to wall time):\n")
    bias_us = 0.0
    if exists("lat-connect-times.txt") and offsets:
        gen = [int(x) for x in read("lat-connect-times.txt").split()]
        if len(gen) == len(conn):
            bias_us = med([(r[3] - (g + statistics.mean(offsets))) / 1000 for r, g in zip(conn, gen)])
    w("| events | count | p50 | p90 | p99 | p99.9 | max | p50 / p99 corrected for the sensor's clock offset |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, rs in (("connect", conn), ("exec", execs), ("all", conn + execs)):
        lat = [(r[4] - r[3]) / 1000 for r in rs]
        if lat:
            w(f"| {label} | {len(lat):,} | {fmt(med(lat))} µs | {fmt(pct(lat, .9))} µs | {fmt(pct(lat, .99))} µs "
              f"| {fmt(pct(lat, .999))} µs | {fmt(max(lat))} µs | {fmt(med(lat) + bias_us)} / "
              f"{fmt(pct(lat, .99) + bias_us)} µs |")
    w("")
    if exists("lat-connect-times.txt") and offsets:
        gen = [int(x) for x in read("lat-connect-times.txt").split()]
        off = statistics.mean(offsets)
        if len(gen) == len(conn):
            bias = [(r[3] - (g + off)) / 1000 for r, g in zip(conn, gen)]
            upper = [(r[5] - g) / 1000 for r, g in zip(conn, gen)]
            w(f"Clock check: each connect's CLOCK_BOOTTIME just before connect(2) was recorded by the load "
              f"generator. The sensor's @timestamp minus that instant (converted with the reader's own "
              f"realtime−boottime offset, measured to ±{max(1, abs(offsets[-1] - offsets[0]) // 1000)} µs) is "
              f"{fmt(med(bias))} µs at the median (p1 {fmt(pct(bias, .01))}, p99 {fmt(pct(bias, .99))}): "
              "a negative value is impossible for a real delay, so it is the sensor's own error in converting "
              "boot time to wall time (BootClock reads CLOCK_REALTIME and CLOCK_BOOTTIME in two separate, cold "
              "downcalls) plus a few µs of syscall-to-hook time. The last column adds it back. Measured on CLOCK_BOOTTIME alone, from before connect(2) to the "
              f"line being read: p50 {fmt(med(upper))} µs, p99 {fmt(pct(upper, .99))} µs (an upper bound).\n")
        else:
            w(f"Clock check skipped: {len(gen)} connects generated, {len(conn)} connect lines matched.\n")
    if exists("lat-floor.json"):
        f = json.loads(read("lat-floor.json"))
        w(f"Baseline, the floor of this machine: a C consumer (libbpf `ring_buffer__poll`, asleep in epoll) woken "
          f"by the kernel for {f['rate']:.0f} exec-sized records/s (`build/bench/ringwake`) has each record in hand "
          f"p50 {f['p50_us']} µs, p99 {f['p99_us']} µs, p99.9 {f['p999_us']} µs, max {f['max_us']} µs after "
          "commit: one hop, where the sensor's figure above has two (kernel → JVM, JVM → pipe → reader) plus "
          "decode, enrichment and JSON.\n")
    if exists("lat-floor-java.json"):
        f = json.loads(read("lat-floor-java.json"))
        w(f"The same with the sensor's own reader (`io.spawnwatch.bench.RingWake`: RingPoller asleep in "
          f"epoll_wait on the map fd, RingBuffer.poll, a handler that only reads the clock): p50 {f['p50_us']} "
          f"µs, p90 {f['p90_us']} µs, p99 {f['p99_us']} µs, p99.9 {f['p999_us']} µs, max {f['max_us']} µs: "
          "what the JVM reader adds to the kernel's wake-up, before the sensor's pipeline and output.\n")
    all_lat = [(r[4] - r[3]) / 1000 for r in conn + execs]
    if all_lat:
        p99 = pct(all_lat, .99) + bias_us
        w(f"Goal p99 under 500 µs at 1,000 events/s: p99 = {fmt(p99)} µs after the clock correction "
          f"({'met' if p99 < 500 else f'missed by {fmt(p99 - 500)} µs'}).\n")
    w(commands("latency"))
else:
    w("Not run in this invocation.\n")

# ------------------------------------------------------------------ 5. start-up
w("## 5. Start-up\n")
if exists("startup.tsv"):
    runs = {}
    for line in read("startup.tsv").splitlines():
        v, j = line.split("\t", 1)
        runs.setdefault(v, []).append(json.loads(j))
    w("Time from fork of the command to the line \"hooks attached\" on its stderr (`build/bench/readytime`), "
      "variants interleaved; CPU is the user + system time the sensor's process (all its threads) had used by "
      "then (/proc/PID/stat), the figure that other work on the machine changes least; \"JVM to ready\" is "
      "the sensor's own figure (from the JVM's start to its ready line). The AOT cache is trained as `make` "
      "trains it (`java/aot-train.sh`), and the CDS archive it replaced by a training run, at the start of this "
      "section.\n")
    w("| variant | to hooks attached: median | min – max | vs no cache | CPU to ready: median | vs no cache "
      "| JVM to ready: median |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    def col(rs, key):
        return [r[key] for r in rs if r.get(key, -1) >= 0]
    base = med(col(runs.get("no-cache", []), "ready_ms"))
    base_cpu = med(col(runs.get("no-cache", []), "cpu_ms"))
    labels = {
        "launcher": "`build/spawnwatch run` (as shipped: JDK 25 AOT cache, -XX:AOTCache)",
        "no-cache": "launcher without a cache (SPAWNWATCH_AOT=off: -Xshare:auto, the JDK's archive only)",
        "cds": "launcher + AppCDS archive (what was shipped before: -XX:SharedArchiveFile)",
        "aot+c1": "launcher + AOT cache + -XX:TieredStopAtLevel=1 (C1 only: for comparison, not shipped)",
    }
    for v in ("launcher", "no-cache", "cds", "aot+c1"):
        rs = runs.get(v)
        if not rs:
            continue
        ready = col(rs, "ready_ms")
        cpu = col(rs, "cpu_ms")
        jvm = col(rs, "jvm_ready_ms")
        w(f"| {labels[v]} | {fmt(med(ready), 0)} ms | {fmt(min(ready), 0)} – {fmt(max(ready), 0)} ms "
          f"| {med(ready) / base:.2f}× | {fmt(med(cpu), 0) if cpu else 'n/a'} ms "
          f"| {f'{med(cpu) / base_cpu:.2f}×' if cpu and base_cpu else 'n/a'} | {fmt(med(jvm), 0) if jvm else 'n/a'} ms |")
    w("")
    if "bpfload" in runs and "jvm-help" in runs:
        fen = med([r["fentry_attempt_ms"] for r in runs["bpfload"]])
        load = med([r["load_ms"] for r in runs["bpfload"]])
        jvm = med([r["ms"] for r in runs["jvm-help"]])
        w(f"Where the time goes (medians): the JVM with picocli alone (`spawnwatch.jar --help`) takes {fmt(jvm, 0)} "
          f"ms; libbpf in C needs {fmt(fen, 0)} ms for the fentry attempt that fails here (a full object load, "
          f"kernel BTF parsed again) and {fmt(load, 0)} ms for the real load (`build/bench/bpfload`). The rest "
          "is class loading and linking of the application (config, Jackson, FFM downcall handles), which "
          "the AOT cache cuts, and JIT compilation, which competes with start-up for the 2 vCPUs.\n")
    ready = col(runs.get("launcher", []), "ready_ms")
    w(f"Goal under 1.0 s as shipped: {fmt(med(ready), 0)} ms to hooks attached "
      f"({'met' if med(ready) < 1000 else 'missed'}).\n")
    w(commands("startup"))
else:
    w("Not run in this invocation.\n")

w("## Closing notes: where goals are missed and what limits them\n")
w("Observations from the session that built these benchmarks, with the evidence each rests on; re-check them "
  "against the tables above, which change from run to run on this guest.\n")
w("- **Ring drain** (this round, branch issue9b). Two other shapes of the reader loop were tried, each in one "
  "JVM beside the shipped loop over the same kernel fills (an ad-hoc harness: 200 alternating drains of "
  "20,000 152-byte records per shape, median ns/record, the machine shared with other builds): a plain "
  "load of the len word and an acquire fence instead of the acquire load: the same (10.3 vs 10.3 count "
  "only); two passes per batch (walk the len words with plain loads, one fence, then hand the records "
  "over), so that the JIT could hoist the segment checks out of the loop: slower (13.9). In the same "
  "harness the shipped loop's raw read took 10.6 ns/record against 10.0 for libbpf's C consumer run in "
  "the same lock slot (p10 7.4 vs 6.6): within 10%, so the loop was kept as it was. Where the JMH table "
  "above shows a larger gap it is the decode's field reads (each a bounds- and liveness-checked "
  "MemorySegment access; the C decode reads a struct) and this machine's noise; no PMU is exposed in this "
  "guest, so it is not profiled to the instruction.\n")
w("- **Evaluator** (issue9b). The baseline and repeat-suppression tables are primitive open-addressed LRU "
  "tables (no object per key) and keys are XXH3-128 instead of SHA-256 (the key table above: 3× faster per "
  "hash and per new alert key, 0 instead of 104 bytes per new key). Before and after on this branch's "
  "benchmark (the same EvaluatorBenchmark, CPU-time counter included, on commit e22194d and on this "
  "branch, one after the other on the shared machine, -f 1 -wi 6 -i 3): realistic 214 k → 462 k events "
  "per CPU-second, alerting 21 k → 53 k, quiet 1.99 M → 2.14 M (unchanged work). Still far from 3 M per "
  "core. JFR of the realistic mix on this branch (1 ms sampling, 5,549 samples): rule matching over text "
  "is the largest part (the top frames are SegmentText.charAt 12%, GlobPredicate 7%, the AND/OR/field "
  "matchers, ExactSet, the port lists' binary search), then the alerts' ECS rendering (about 10%, of which "
  "Jackson encoding field names from Strings 6%), key hashing 4% and the tables 3%; decode and enrichment "
  "about 5%. So what limits the mix is, first, the per-char CharSequence reads of the matchers (a byte "
  "path for record text, which issue 9's UTF-8 rule literals will touch anyway), then per-alert rendering "
  "(the event's fields rendered once per event, issue 9's rendering stage; field names pre-encoded).\n")
w("- **Per-record upcalls** (b) cost 1.3–4× the mmap reader, and the jextract callback shape allocates "
  "40 bytes per record: the design's 'no upcall per event' rule holds up.\n")
w("- **Host overhead.** The paired loop ratios vary by ±20–40% between rounds (vCPU halt and wake-up on this "
  "guest), so the 1% goal cannot be shown with wall-clock loops here. The kernel's own BPF statistics can: "
  "spawnwatch's hooks cost 2–3 µs per fork+exec+exit (0.3–0.4% of the exec loop) and 0.8–0.9 µs per loopback "
  "connect (2.5–2.7%: inet_sock_set_state fires 6 times per connection, and the classic tracepoint is the only "
  "connect hook that works here). bpftrace's smaller programs cost less on non-web loops and more per web "
  "event (it formats strings in the kernel): 6–9× spawnwatch's for a web connect, 1.2–3.6× for a web exec "
  "across the last two full runs, where spawnwatch's handle_exec itself moved between 5.8 and 22.7 µs.\n")
w("- **Latency** (issue9b). The sensor's reader alone (RingWake, beside the C floor above) adds about "
  "10–15 µs at the median to the kernel's wake-up of a C consumer (34 vs 25 µs in this branch's run); the "
  "rest of the sensor's median (about 190 µs) is its pipeline and the second hop (JSON, write(2) to the "
  "pipe, the reader's wake-up), which issue 9's sink threads reshape. The tails measured on this branch are "
  "those of a machine with a load average of 8–20 on 2 vCPUs: the C floor reached 0.3 ms at p99 and 3 ms at "
  "p99.9, the JVM reader 17 ms at p99 in one run and 28 ms in another, each time one stall of tens of "
  "milliseconds (p99.9 ≈ max: a safepoint or JIT pause held up by descheduled threads, which a C consumer "
  "does not have), and the sensor's p99 was 30–140 ms from run to run. The 500 µs p99 cannot be judged "
  "here; rerun on an idle machine.\n")
w("- **Start-up** (issue9b). The JDK 25 AOT cache replaces the CDS archive: in the CPU-time column it cuts "
  "about 30% of the work to ready, a little more than the CDS archive did (table above; 0.77× against "
  "0.84× in a first run on this branch); the wall-clock figures follow the machine's load more than the "
  "code. Most of the CPU to ready is JIT compilation competing with start-up on 2 vCPUs: AOT plus C1 only "
  "takes about half (not shipped: C1 code is slower at the events), and -XX:CompileThresholdScaling=4 took "
  "about 0.87× of the default's CPU in four interleaved starts (not shipped: not measured on an idle "
  "machine, and it delays the hot path's compilation). The BPF loads (fentry attempt plus the real load, "
  "about 170 ms of libbpf in C on an idle machine) are issue 9's connect-probe work.\n")

print("\n".join(out))
