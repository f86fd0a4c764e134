package io.spawnwatch.rules.baseline;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every rule's baseline table, and the write-behind to the store.
 *
 * <p>Changes are committed as one transaction every {@code flushInterval} by
 * a daemon thread, and at once when a table has more pending changes than its
 * capacity (a flood) and on {@link #close}. So a kill -9 loses at most the
 * sightings of the last {@code flushInterval} (default 1 s); the effect of
 * losing them is that those keys look rare or new again once. With an
 * interval of zero every sighting is committed before the alert decision
 * returns.
 */
public final class Baselines implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("spawnwatch.rules.baseline");

    /** Numbers for the stats API. */
    public record TableStats(String name, int size, int capacity, long evictions) {}

    /** Store health for the stats API. */
    public record StoreStats(String path, long flushes, long flushFailures, String lastError) {}

    /** Null when baselines live in memory only (no state_path). */
    private final BaselineStore store;
    private final int capacity;
    private final long keySeed;
    private final boolean commitEveryChange;
    private final Map<String, BaselineTable> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;

    private Baselines(BaselineStore store, int capacity, Duration flushInterval) {
        this.store = store;
        this.capacity = capacity;
        this.keySeed = store != null ? store.keySeed() : new java.security.SecureRandom().nextLong();
        this.commitEveryChange = flushInterval.isZero();
        if (commitEveryChange || store == null) {
            this.flusher = null;
        } else {
            this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spawnwatch-baseline-flush");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, flushInterval.toMillis());
            flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param path the SQLite file; null keeps baselines in memory only (lost on restart)
     * @param capacity the bound on entries per table
     */
    public static Baselines open(Path path, int capacity, Duration flushInterval) throws SQLException {
        return new Baselines(path == null ? null : BaselineStore.open(path), capacity, flushInterval);
    }

    /**
     * The seed for the {@link KeyHasher} of the keys in these tables: the
     * store's, or a random one per run when baselines live in memory only.
     */
    public long keySeed() {
        return keySeed;
    }

    /** The table of a tracker, loading its newest entries from the store the first time. */
    public BaselineTable table(String name) {
        return tables.computeIfAbsent(name, n -> {
            try {
                return new BaselineTable(n, capacity, store == null ? List.of() : store.load(n, capacity));
            } catch (SQLException e) {
                failures.incrementAndGet();
                lastError = "load " + n + ": " + e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "baseline store: cannot load " + n + ": " + e.getMessage());
                return new BaselineTable(n, capacity, List.of());
            }
        });
    }

    /** Called after a sighting: commits now when configured so, or when a flood outgrows the batch. */
    public void afterChange(BaselineTable table) {
        if (commitEveryChange || table.pending() > capacity) {
            flushQuietly();
        }
    }

    /** Writes every pending change in one transaction. */
    public synchronized void flush() throws SQLException {
        List<BaselineTable> order = new ArrayList<>(tables.values());
        List<BaselineStore.Batch> batches = new ArrayList<>();
        for (BaselineTable t : order) {
            batches.add(t.drain());
        }
        if (store == null) {
            return; // memory only: draining keeps the pending-change sets from growing
        }
        try {
            store.write(batches);
            flushes.incrementAndGet();
        } catch (SQLException e) {
            for (int i = 0; i < order.size(); i++) {
                order.get(i).requeue(batches.get(i));
            }
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            failures.incrementAndGet();
            lastError = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "baseline store " + path() + ": write failed, will retry: "
                    + e.getMessage());
        }
    }

    public List<TableStats> tableStats() {
        return tables.values().stream()
                .map(t -> new TableStats(t.name(), t.size(), t.capacity(), t.evictions()))
                .sorted(java.util.Comparator.comparing(TableStats::name))
                .toList();
    }

    public StoreStats storeStats() {
        return new StoreStats(path(), flushes.get(), failures.get(), lastError);
    }

    /** Rows of a table on disk (tests). */
    public long storedRows(String name) throws SQLException {
        return store == null ? 0 : store.count(name);
    }

    private String path() {
        return store == null ? "(memory only)" : store.path();
    }

    @Override
    public void close() throws SQLException {
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }
}
