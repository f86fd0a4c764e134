package io.spawnwatch.daemon;

/**
 * Events per second over the last few seconds: {@link #sample} is called
 * once a second with a running total, {@link #perSecond} gives the rate over
 * the window. No per-event cost: it reads counters that exist anyway.
 */
final class RateMeter {
    private final long[] totals;
    private final long[] times;
    private int next;
    private int filled;

    RateMeter(int windowSamples) {
        totals = new long[windowSamples];
        times = new long[windowSamples];
    }

    synchronized void sample(long total, long nanos) {
        totals[next] = total;
        times[next] = nanos;
        next = (next + 1) % totals.length;
        filled = Math.min(filled + 1, totals.length);
    }

    synchronized double perSecond() {
        if (filled < 2) {
            return 0;
        }
        int newest = (next - 1 + totals.length) % totals.length;
        int oldest = filled < totals.length ? 0 : next;
        long dt = times[newest] - times[oldest];
        return dt <= 0 ? 0 : (totals[newest] - totals[oldest]) * 1e9 / dt;
    }
}
