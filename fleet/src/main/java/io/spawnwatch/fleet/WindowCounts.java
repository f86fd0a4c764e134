package io.spawnwatch.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one group in one window: how many candidates, and from which agents. Bounded whatever the fleet
 * sends: only the first {@link #MAX_AGENTS_KEPT} agents are kept by name (the rule needs to know "exactly one",
 * so a second is enough to rule the group out); later agents only set {@link #moreAgents}.
 */
public final class WindowCounts {
    /** Agents kept by name per group and window; see the class comment. */
    public static final int MAX_AGENTS_KEPT = 2;

    /** One agent's part of a group: its ids, its host's name and how many candidates it sent. */
    public static final class AgentCount {
        @JsonProperty("agent_id") public String agentId;
        @JsonProperty("host_id") public String hostId;
        @JsonProperty("host_name") public String hostName;
        @JsonProperty("count") public long count;
    }

    @JsonProperty("count") public long count;
    @JsonProperty("agents") public List<AgentCount> agents = new ArrayList<>();
    @JsonProperty("more_agents") public boolean moreAgents;
    /** The last candidate's command line, for the alert (the group's key does not hold it). */
    @JsonProperty("command_line") public String commandLine;
    @JsonProperty("first_ms") public long firstMillis = Long.MAX_VALUE;
    @JsonProperty("last_ms") public long lastMillis = Long.MIN_VALUE;

    /** Adds one candidate; returns this (the aggregator's contract). */
    public WindowCounts add(Candidate c) {
        count++;
        commandLine = c.commandLine();
        firstMillis = Math.min(firstMillis, c.timestampMillis());
        lastMillis = Math.max(lastMillis, c.timestampMillis());
        for (AgentCount a : agents) {
            if (a.agentId.equals(c.agentId())) {
                a.count++;
                return this;
            }
        }
        if (agents.size() >= MAX_AGENTS_KEPT) {
            moreAgents = true;
            return this;
        }
        AgentCount a = new AgentCount();
        a.agentId = c.agentId();
        a.hostId = c.hostId();
        a.hostName = c.hostName();
        a.count = 1;
        agents.add(a);
        return this;
    }

    /** Distinct agents, exact up to {@link #MAX_AGENTS_KEPT}; more only means "more than that". */
    public int distinctAgents() {
        return agents.size() + (moreAgents ? 1 : 0);
    }

    /**
     * The seed rule's condition, as Elastic's ES|QL states it: {@code count_distinct(agent.id) == 1 and
     * count < maxEvents} (maxEvents is 5 in the rule).
     */
    public boolean isRare(long maxEvents) {
        return distinctAgents() == 1 && count < maxEvents;
    }
}
