package io.spawnwatch.incident.tree;

import java.util.List;

/**
 * An alert, as it is marked on the tree and listed in the page.
 *
 * @param timestampNs @timestamp, epoch ns
 * @param ruleId rule.id
 * @param ruleName rule.name
 * @param description rule.description, or null
 * @param severity event.severity (21 low, 47 medium, 73 high, 99 critical)
 * @param level its Sigma level ("high")
 * @param tactics threat.tactic "ID name" pairs (MITRE ATT&amp;CK)
 * @param techniques threat.technique and subtechnique "ID name" pairs
 * @param node key of the process it is on
 * @param document index into {@link IncidentTree#documents()}
 */
public record AlertMark(long timestampNs, String ruleId, String ruleName, String description, int severity,
        String level, List<String> tactics, List<String> techniques, String node, int document) {}
