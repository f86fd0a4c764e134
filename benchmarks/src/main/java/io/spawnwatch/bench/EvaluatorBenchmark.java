package io.spawnwatch.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.ecs.EcsEventWriter;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.rules.AlertSink;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.RuleStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 2 of issue 5: the whole user-space path per event, as
 * {@code EventPipeline.onRecord} runs it on the reader thread: {@link
 * EnrichedEvent#wrap} over a kernel-layout record in a native segment, the
 * process-table stage (every exec recorded in the {@link ProcessTable}), then every shipped rule
 * through {@link RuleEngine#evaluate}, with exceptions, rarity and new-terms
 * baselines and repeat suppression as configured by default (state in memory:
 * {@code withStatePath(null)}).
 *
 * <p>One event per operation (Throughput: events per second on one thread);
 * the events come from {@link WebHostEvents} in a fixed shuffled order for
 * the {@link #mix}. Baseline beside it: {@link #decodeOnly}, the same events
 * wrapped (decode plus process table) with no rule run. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes allocated per event.
 *
 * <p>Steady state: the pids are fixed, so after the first pass (done in the
 * trial set-up) every pid, parent and lineage root an event names is in the
 * process table; the web servers, which never exec while the sensor runs, are
 * read once from a fake /proc then. The tear-down checks that no slot was
 * reused, i.e. that nothing was read from /proc while measuring.
 *
 * <p>Alert sink: what {@code Sensor.writeAlert} does up to the write, i.e.
 * the ECS alert document built with Jackson into a reused buffer and copied
 * out as one line, which goes to a Blackhole instead of stdout.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class EvaluatorBenchmark {
    /**
     * quiet: only events that match no rule; realistic: 88% those, 8% that match a
     * rarity/new-terms rule and are quiet once seen, 4% a web shell's steps that
     * alert; alerting: only the web shell's steps.
     */
    @Param({"quiet", "realistic", "alerting"})
    public String mix;

    private Arena arena;
    private WebHostEvents host;
    private MemorySegment ring;
    private ProcessTable processes;
    private EnrichedEvent event;
    private RuleEngine engine;
    private EcsAlertSink sink;

    private long[] offsets;
    private long[][] tokens;
    private long[] addresses;
    private java.util.Set<Integer> knownPids;
    private int cursor;
    private int counter;
    private long bootNanos = 1_000_000_000_000L;

    /**
     * Alerts per event, reported beside events per second (ratio of the two
     * rates); and the benchmark thread's CPU time over the iteration
     * ({@code cpuNanos}, as a rate: CPU ns per second), so that events per
     * CPU-second, i.e. per core, can be worked out on a machine shared with
     * other work, where a thread does not have its core to itself.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Outcomes {
        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();
        public long alerts;
        public long cpuNanos;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            alerts = 0;
            cpuNanos = 0;
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stopClock() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        arena = Arena.ofShared();
        ring = arena.allocate(WebHostEvents.bytesNeeded(), 8);
        host = new WebHostEvents(ring);
        processes = new ProcessTable(16_384, host.proc()); // enrichment.process_table_entries default
        event = new EnrichedEvent(processes, new UserNames(host.passwd()), new ContainerIds(host.proc()),
                new BootClock());
        engine = RuleEngine.open(DetectionConfig.defaults().withStatePath(null), RuleSource.builtin(), null);
        if (!engine.loadErrors().isEmpty()) {
            throw new IllegalStateException("bench: shipped rules refused: " + engine.loadErrors());
        }
        sink = new EcsAlertSink(event);

        List<WebHostEvents.Event> sequence = host.sequence(mix);
        offsets = new long[sequence.size()];
        tokens = new long[sequence.size()][];
        addresses = new long[sequence.size()];
        for (int i = 0; i < offsets.length; i++) {
            WebHostEvents.Event e = sequence.get(i);
            offsets[i] = e.offset();
            tokens[i] = e.tokenOffsets();
            addresses[i] = e.addressOffset();
        }
        // The first pass: every kind of event once, parents first, as a sensor that has run a while has
        // seen them; the alerts are rendered too (their container look-up is cached per cgroup).
        for (WebHostEvents.Event e : host.events()) {
            prepare(e.offset(), e.tokenOffsets(), e.addressOffset());
            if (!keep(e.offset())) {
                throw new IllegalStateException("bench: record not accepted: " + e.name());
            }
            engine.evaluate(event, sink);
        }
        checkKinds();
        census(10 * offsets.length);
        knownPids = knownPids();
    }

    /**
     * Every event does in the rules what its kind says, once the baselines
     * have seen it a few times: a quiet one matches nothing, a baseline one
     * matches but does not alert, an alerting one alerts every time.
     */
    private void checkKinds() {
        for (WebHostEvents.Event e : host.events()) {
            for (int i = 0; i < 6; i++) { // past the rarity threshold (5)
                evaluateOnce(e, new long[1]);
            }
            long[] alerts = new long[1];
            long matchedBefore = outcomes()[0];
            evaluateOnce(e, alerts);
            evaluateOnce(e, alerts);
            long matched = outcomes()[0] - matchedBefore;
            boolean ok = switch (e.kind()) {
                case QUIET -> matched == 0;
                case BASELINE -> matched > 0 && alerts[0] == 0;
                case ALERT -> alerts[0] >= 2;
            };
            if (!ok) {
                throw new IllegalStateException("bench: " + e.id() + " (" + e.name() + ") is not " + e.kind()
                        + ": matched=" + matched + " alerts=" + alerts[0] + " in two evaluations");
            }
        }
    }

    private void evaluateOnce(WebHostEvents.Event e, long[] alerts) {
        prepare(e.offset(), e.tokenOffsets(), e.addressOffset());
        keep(e.offset());
        engine.evaluate(event, (rule, ev, repeats) -> alerts[0]++);
    }

    /** Decode, then the process-table stage, as the pipeline runs them for a kept event. */
    private boolean keep(long offset) {
        if (!event.wrap(ring, offset)) {
            return false;
        }
        if (event.type() == io.spawnwatch.event.EventType.EXEC) {
            processes.recordExec(event.exec());
        }
        return true;
    }

    /** The pids of the fake /proc that the process table holds: read from /proc once each, then cached. */
    private java.util.Set<Integer> knownPids() {
        java.util.Set<Integer> known = new java.util.TreeSet<>();
        for (int pid : host.procPids()) {
            if (processes.peek(pid) != null) {
                known.add(pid);
            }
        }
        return known;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        // No slot reused and no pid added: nothing was read from /proc while measuring.
        if (processes.evictions() != 0 || !knownPids().equals(knownPids)) {
            throw new IllegalStateException("bench: not the steady state: process table evictions="
                    + processes.evictions() + ", pids known after set-up " + knownPids + ", now " + knownPids());
        }
        engine.close();
        host.close();
        arena.close();
    }

    /** The sensor's path: decode and enrich, then every rule; alerts rendered as ECS. */
    @Benchmark
    public void evaluate(Blackhole bh, Outcomes outcomes) {
        int i = next();
        if (!keep(offsets[i])) {
            throw new IllegalStateException("bench: record not accepted");
        }
        sink.bh = bh;
        sink.outcomes = outcomes;
        engine.evaluate(event, sink);
    }

    /** Baseline: the same events decoded and entered in the process table, no rule run. */
    @Benchmark
    public int decodeOnly(Outcomes outcomes) {
        int i = next();
        if (!keep(offsets[i])) {
            throw new IllegalStateException("bench: record not accepted");
        }
        return event.record().pid();
    }

    /** Picks the next event and gives it what the kernel would: a new timestamp and, for alerting ones, a token. */
    private int next() {
        int i = cursor;
        cursor = i + 1 == offsets.length ? 0 : i + 1;
        prepare(offsets[i], tokens[i], addresses[i]);
        return i;
    }

    private void prepare(long offset, long[] tokenOffsets, long addressOffset) {
        bootNanos += 500; // 2 million events/s
        ring.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + RecordDescriptor.BOOT_NS_OFFSET, bootNanos);
        if (tokenOffsets.length == 0) {
            return;
        }
        int token = counter = counter == 999_999 ? 0 : counter + 1;
        for (long at : tokenOffsets) {
            int v = token;
            for (int d = WebHostEvents.TOKEN_LENGTH - 1; d >= 0; d--) {
                ring.set(ValueLayout.JAVA_BYTE, at + d, (byte) ('0' + v % 10));
                v /= 10;
            }
        }
        if (addressOffset >= 0) { // 11.22.x.y: 65,536 destinations, more than suppression.max_keys
            ring.set(ValueLayout.JAVA_BYTE, addressOffset + 2, (byte) (token >>> 8));
            ring.set(ValueLayout.JAVA_BYTE, addressOffset + 3, (byte) token);
        }
    }

    /**
     * What the mix does in the rules, in the steady state: {@code events} more
     * events (after the first pass), then matches, matches made quiet by a
     * rarity/new-terms baseline or by repeat suppression, and alerts, per
     * event. Printed for benchmarks/scripts/summarize.py; deterministic.
     */
    private void census(int events) {
        long[] before = outcomes();
        long[] alerts = new long[1];
        for (int n = 0; n < events; n++) {
            int i = next();
            keep(offsets[i]);
            engine.evaluate(event, (rule, ev, repeats) -> alerts[0]++);
        }
        long[] after = outcomes();
        System.out.printf("%nevaluator-census mix=%s events=%d matched=%d quiet_by_baseline=%d quiet_by_dedup=%d"
                + " alerted=%d sink_calls=%d%n", mix, events, after[0] - before[0], after[1] - before[1],
                after[2] - before[2], after[3] - before[3], alerts[0]);
    }

    private long[] outcomes() {
        long[] o = new long[4];
        for (RuleStats r : engine.stats().rules()) {
            o[0] += r.matched();
            o[1] += r.suppressedByRarity() + r.suppressedByNewTerms();
            o[2] += r.suppressedByDedup();
            o[3] += r.alerted();
        }
        return o;
    }

    /** Sensor.writeAlert without the final write(2): the ECS line, built as the sensor builds it. */
    static final class EcsAlertSink implements AlertSink {
        private static final JsonFactory JSON = new JsonFactory();
        private final EcsEventWriter ecs = new EcsEventWriter(
                new io.spawnwatch.ecs.HostIdentity("4c4c4544004e3510804bb4c04f4e3232", "bench-host", "Debian GNU/Linux",
                        "12 (bookworm)", "debian", "debian", "Debian GNU/Linux 12 (bookworm)", "6.18.0", "x86_64",
                        "6f0c1cbe-3c58-4b0e-9d0b-1b8d7f0d2a11"),
                new io.spawnwatch.ecs.AgentIdentity("0b3c2f5e-8a8e-4f7e-b3f1-6c1d2b0f9a77", "spawnwatch", "0.1.0",
                        "bench-host", false));
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
        private final EnrichedEvent event;
        Blackhole bh;
        Outcomes outcomes;

        EcsAlertSink(EnrichedEvent event) {
            this.event = event;
        }

        @Override
        public void alert(RuleMetadata rule, EventView view, long repeatsSuppressed) {
            try {
                line.reset();
                JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8);
                ecs.writeAlert(g, event, rule, repeatsSuppressed);
                g.close();
                line.write('\n');
                byte[] bytes = line.toByteArray();
                if (bh != null) { // null in the set-up's first pass
                    bh.consume(bytes);
                    outcomes.alerts++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
