package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import io.spawnwatch.error.HostSetupException;

/**
 * Kernel tests run on these machines. Where they cannot (no BTF, no
 * privileges), they fail loudly with the reason rather than skip quietly,
 * unless SPAWNWATCH_ALLOW_NO_KERNEL=1 says the caller knows.
 */
public final class KernelTestSupport {
    private KernelTestSupport() {}

    public static void requireKernel() {
        try {
            HostChecks.verify();
        } catch (HostSetupException e) {
            String msg = "KERNEL TEST CANNOT RUN: " + e.getMessage();
            System.err.println(msg);
            if ("1".equals(System.getenv("SPAWNWATCH_ALLOW_NO_KERNEL"))) {
                org.junit.jupiter.api.Assumptions.abort(msg);
            }
            fail(msg);
        }
    }
}
