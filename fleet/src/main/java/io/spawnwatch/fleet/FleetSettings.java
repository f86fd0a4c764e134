package io.spawnwatch.fleet;

import java.time.Duration;

/**
 * What the fleet job computes and where it reads and writes.
 *
 * @param candidatesTopic the sensors' fleet candidates (the sensor's {@code topics.fleet_candidates})
 * @param alertsTopic     where the seed rule's fleet-wide rarity alerts go
 * @param newTermsTopic   where the fleet-wide new-terms alerts go
 * @param window          the rarity window: 61 minutes in the seed rule (Elastic's ES|QL rule looks back 61
 *                        minutes every 60)
 * @param grace           how long after a window's end late candidates still count; the window closes, and its
 *                        alerts go out, when stream time passes end + grace
 * @param maxEvents       alert when a group has fewer candidates than this in a window (5 in the seed rule)
 * @param newTermsHistory a (parent executable, command line) pair is new when no host ran it in this long (7 days)
 * @param newTermsLearning after the job's first candidate, new terms are learned without alerts for this long, so
 *                        that a fresh job does not report the whole fleet's routine as new (0 alerts at once)
 */
public record FleetSettings(String candidatesTopic, String alertsTopic, String newTermsTopic, Duration window,
        Duration grace, long maxEvents, Duration newTermsHistory, Duration newTermsLearning) {

    public static final String SEED_RULE_ID = "318e95ea-2c21-4272-b1a1-bf07308e812b";
    public static final String SEED_RULE_NAME = "Unusual Process Spawned from Web Server Parent";

    /** The seed rule's numbers and the sensor's default topic names. */
    public static FleetSettings defaults() {
        return new FleetSettings("spawnwatch.fleet-candidates", "spawnwatch.fleet-alerts",
                "spawnwatch.fleet-new-terms", Duration.ofMinutes(61), Duration.ofMinutes(2), 5, Duration.ofDays(7),
                Duration.ofDays(7));
    }

    public FleetSettings withGrace(Duration g) {
        return new FleetSettings(candidatesTopic, alertsTopic, newTermsTopic, window, g, maxEvents, newTermsHistory,
                newTermsLearning);
    }

    public FleetSettings withNewTermsLearning(Duration l) {
        return new FleetSettings(candidatesTopic, alertsTopic, newTermsTopic, window, grace, maxEvents,
                newTermsHistory, l);
    }

    public FleetSettings withTopics(String candidates, String alerts, String newTerms) {
        return new FleetSettings(candidates, alerts, newTerms, window, grace, maxEvents, newTermsHistory,
                newTermsLearning);
    }
}
