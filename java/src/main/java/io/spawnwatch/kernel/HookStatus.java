package io.spawnwatch.kernel;

/**
 * What happened to one hook at start-up: attached, or why not. For the
 * connect probe there is one entry per candidate in the fallback chain, in the
 * order they were tried.
 *
 * @param probe   what the hook is for: exec, fork, exit, connect
 * @param program the BPF program name
 * @param hook    the kernel hook, e.g. tracepoint/sock/inet_sock_set_state
 * @param attached whether it is attached now
 * @param reason  why it is not attached (empty when attached)
 */
public record HookStatus(String probe, String program, String hook, boolean attached, String reason) {

    static HookStatus attached(String probe, String program, String hook) {
        return new HookStatus(probe, program, hook, true, "");
    }

    static HookStatus failed(String probe, String program, String hook, String reason) {
        return new HookStatus(probe, program, hook, false, reason);
    }
}
