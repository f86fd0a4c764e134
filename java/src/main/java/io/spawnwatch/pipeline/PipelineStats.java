package io.spawnwatch.pipeline;

import io.spawnwatch.event.DecodeStats;

/**
 * The event pipeline's counters, all monotonic since start. Every record the ring delivered is in
 * {@code decode}; every decoded one is an event, an ignored candidate, or (for a bug) a handler error counted
 * by the ring reader.
 *
 * @param decode            the decode stage: decoded, and refused by reason
 * @param events            events that went through the rules
 * @param candidatesIgnored interpreter execs whose command line showed no web server (dropped)
 * @param serversRecognised interpreters recognised as web servers by their command line
 * @param enrichmentPending events with a field left empty while /proc was read for it
 * @param alerts            alerts raised (documents offered to the sinks that want alerts)
 * @param ruleErrors        events the rules failed on (a rule bug): skipped by the rules, logged
 * @param renderErrors      documents that could not be rendered (never offered)
 */
public record PipelineStats(DecodeStats decode, long events, long candidatesIgnored, long serversRecognised,
        long enrichmentPending, long alerts, long ruleErrors, long renderErrors) {}
