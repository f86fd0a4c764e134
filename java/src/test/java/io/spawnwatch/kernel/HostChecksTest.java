package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spawnwatch.error.HostSetupException;
import org.junit.jupiter.api.Test;

class HostChecksTest {
    private static final long CAP_SYS_ADMIN = 1L << 21;
    private static final long CAP_PERFMON = 1L << 38;
    private static final long CAP_BPF = 1L << 39;

    @Test
    void shouldRefuseAnUnprivilegedProcessWithWhatToDo() {
        HostSetupException e = assertThrows(HostSetupException.class, () -> HostChecks.verifyPrivileges(0));
        assertEquals("missing privileges: loading and attaching BPF programs needs root or CAP_BPF and "
                + "CAP_PERFMON (effective capabilities here: 0x0); run as root, or in a container with --privileged",
                e.getMessage());
    }

    @Test
    void shouldRefuseCapBpfWithoutCapPerfmon() {
        assertThrows(HostSetupException.class, () -> HostChecks.verifyPrivileges(CAP_BPF));
    }

    @Test
    void shouldAcceptCapBpfWithCapPerfmonOrCapSysAdmin() {
        assertDoesNotThrow(() -> HostChecks.verifyPrivileges(CAP_BPF | CAP_PERFMON));
        assertDoesNotThrow(() -> HostChecks.verifyPrivileges(CAP_SYS_ADMIN));
    }
}
