package io.spawnwatch.pipeline;

import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.ecs.DocumentRenderer;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.Sink;
import io.spawnwatch.ring.RecordHandler;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.RuleMatches;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The path of every record the kernel sends, on the ring-reader thread, one record at a time, in ring order:
 *
 * <ol>
 *   <li>decode ({@link EnrichedEvent#wrap}: header checked, flyweight wrapped, refusals counted);
 *   <li>web-server recognition of interpreter candidates ({@link ServerRecognition});
 *   <li>process table ({@link ProcessStage});
 *   <li>enrichment, lazily, as the rules and the renderer read fields ({@link EnrichedEvent}; /proc reads go
 *       to the slow path and never block this thread);
 *   <li>rules ({@link RuleEngine#evaluate(io.spawnwatch.event.EventView, RuleMatches)} into a reused list);
 *   <li>rendering, once per event ({@link DocumentRenderer}), only when a sink or a follower wants it;
 *   <li>sinks: each document offered to every sink that wants its kind (never blocks), and to the control
 *       socket's followers.
 * </ol>
 *
 * An event that raises nothing and that no one follows allocates nothing here.
 */
public final class EventPipeline implements RecordHandler {
    private static final System.Logger LOG = System.getLogger(EventPipeline.class.getName());
    private static final int LOGGED_ERRORS = 10;

    private static final int EVENTS = 0;
    private static final int CANDIDATES_IGNORED = 1;
    private static final int SERVERS_RECOGNISED = 2;
    private static final int PENDING = 3;
    private static final int ALERTS = 4;
    private static final int RULE_ERRORS = 5;
    private static final int RENDER_ERRORS = 6;

    private final EnrichedEvent event;
    private final ServerRecognition servers;
    private final ProcessStage processes;
    private final RuleEngine engine;
    private final DocumentRenderer renderer;
    private final Sink[] sinks;
    private final boolean sinksWantEvents;
    private final boolean sinksWantCandidates;
    private final SubscriberHub hub;
    private final RuleMatches matches = new RuleMatches();
    private final AtomicLongArray counts = new AtomicLongArray(7);

    /** @param hub the control socket's followers, or null */
    public EventPipeline(EnrichedEvent event, ServerRecognition servers, ProcessStage processes, RuleEngine engine,
            DocumentRenderer renderer, List<Sink> sinks, SubscriberHub hub) {
        this.event = event;
        this.servers = servers;
        this.processes = processes;
        this.engine = engine;
        this.renderer = renderer;
        this.sinks = sinks.toArray(Sink[]::new);
        this.sinksWantEvents = sinks.stream().anyMatch(s -> s.wants(DocumentKind.EVENT));
        this.sinksWantCandidates = sinks.stream().anyMatch(s -> s.wants(DocumentKind.FLEET_CANDIDATE));
        this.hub = hub;
    }

    @Override
    public void onRecord(MemorySegment data, long offset, int length) {
        if (!event.wrap(data, offset, length)) {
            return; // refused and counted by the decoder
        }
        if ((event.record().match() & ProcessDescriptor.MATCH_CANDIDATE) != 0) {
            if (!servers.recognise(event)) {
                bump(CANDIDATES_IGNORED);
                return;
            }
            bump(SERVERS_RECOGNISED);
        }
        processes.record(event);
        bump(EVENTS);
        try {
            engine.evaluate(event, matches);
        } catch (RuntimeException e) {
            // A rule bug must not cost the following events: count, log, go on without its alerts.
            matches.clear();
            if (bump(RULE_ERRORS) <= LOGGED_ERRORS) {
                LOG.log(System.Logger.Level.ERROR, "rule evaluation failed; event skipped by the rules", e);
            }
        }
        boolean followed = hub != null && hub.hasEventSubscribers();
        // The seed rule's candidate before rarity, for the fleet job: the event's own document, as another kind.
        boolean candidate = sinksWantCandidates && matches.fleetCandidate();
        if (matches.size() == 0 && !sinksWantEvents && !followed && !candidate) {
            countPending();
            return;
        }
        renderer.reset(event);
        if (sinksWantEvents || followed || candidate) {
            Document d = render(-1);
            if (d != null) {
                offer(d);
                if (followed) {
                    hub.publishEvent(d.line());
                }
                if (candidate) {
                    offer(new Document(DocumentKind.FLEET_CANDIDATE, d.line(), d.rootPid(), d.rootStartBootNs(),
                            d.timestampNanos()));
                }
            }
        }
        for (int i = 0; i < matches.size(); i++) {
            bump(ALERTS);
            Document d = render(i);
            if (d != null) {
                offer(d);
                if (hub != null) {
                    hub.publishAlert(d.line());
                }
            }
        }
        countPending();
    }

    private void countPending() {
        if (event.enrichmentPending()) {
            bump(PENDING);
        }
    }

    /** The event document (match -1) or the alert of match i; null when rendering failed (counted, logged). */
    private Document render(int match) {
        try {
            return match < 0 ? renderer.event() : renderer.alert(matches.rule(match), matches.repeatsSuppressed(match));
        } catch (IOException | RuntimeException e) {
            if (bump(RENDER_ERRORS) <= LOGGED_ERRORS) {
                LOG.log(System.Logger.Level.ERROR, "rendering a document failed; document not written", e);
            }
            return null;
        }
    }

    private void offer(Document d) {
        for (Sink s : sinks) {
            if (s.wants(d.kind())) {
                s.offer(d);
            }
        }
    }

    public PipelineStats stats() {
        return new PipelineStats(event.decoder().stats(), counts.get(EVENTS), counts.get(CANDIDATES_IGNORED),
                counts.get(SERVERS_RECOGNISED), counts.get(PENDING), counts.get(ALERTS), counts.get(RULE_ERRORS),
                counts.get(RENDER_ERRORS));
    }

    /**
     * Counts on the reader thread, the only writer of these counters: a release store instead of a locked add
     * (Agrona's single-writer counters); other threads read them with get(). Returns the new value.
     */
    private long bump(int i) {
        long next = counts.getPlain(i) + 1;
        counts.setRelease(i, next);
        return next;
    }
}
