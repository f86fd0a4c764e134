package io.spawnwatch.fleet;

import java.util.concurrent.atomic.AtomicLong;

/** The job's own counters (Kafka Streams' metrics have the rest), logged every minute and at the end. */
public final class FleetCounters {
    final AtomicLong candidates = new AtomicLong();
    final AtomicLong badCandidates = new AtomicLong();
    final AtomicLong rarityAlerts = new AtomicLong();
    final AtomicLong newTermsAlerts = new AtomicLong();

    public long candidates() {
        return candidates.get();
    }

    public long badCandidates() {
        return badCandidates.get();
    }

    public long rarityAlerts() {
        return rarityAlerts.get();
    }

    public long newTermsAlerts() {
        return newTermsAlerts.get();
    }

    @Override
    public String toString() {
        return "candidates=" + candidates + " bad_candidates=" + badCandidates + " rarity_alerts=" + rarityAlerts
                + " new_terms_alerts=" + newTermsAlerts;
    }
}
