package io.spawnwatch.ecs;

/** Fixed host and agent identities for tests that render documents (no /etc or state directory read). */
public final class TestIdentities {
    private TestIdentities() {}

    /** A Debian 12 host named {@code hostName} with a fixed host.id, boot id and agent.id. */
    public static HostIdentity host(String hostName) {
        return new HostIdentity("4c4c4544004e3510804bb4c04f4e3232", hostName, "Debian GNU/Linux", "12 (bookworm)",
                "debian", "debian", "Debian GNU/Linux 12 (bookworm)", "6.18.0-test", "x86_64",
                "6f0c1cbe-3c58-4b0e-9d0b-1b8d7f0d2a11");
    }

    public static AgentIdentity agent(String hostName) {
        return new AgentIdentity("0b3c2f5e-8a8e-4f7e-b3f1-6c1d2b0f9a77", AgentIdentity.TYPE, "0.1.0", hostName, true);
    }

    /** A writer for that host and agent. */
    public static EcsEventWriter writer(String hostName) {
        return new EcsEventWriter(host(hostName), agent(hostName));
    }
}
