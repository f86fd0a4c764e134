package io.spawnwatch.rules.sigma;

import static io.spawnwatch.rules.Rules.execSelection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.TestEvent;
import io.spawnwatch.rules.match.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Fields SigmaHQ's Linux rules take from Sysmon for Linux's schema, read as
 * Sysmon for Linux fills them. LogonId: its eBPF program stores the task's
 * cred->uid (the real uid) in the low half of m_AuthenticationId
 * (SysmonForLinux ebpfKern/sysmonProcCreate.c), which SysmonCommon's
 * LogonIdToString prints in decimal on Linux (eventsCommon.cpp).
 */
class SysmonLinuxFieldsTest {
    private static TestEvent uids(long real, long effective) {
        return TestEvent.exec().set(Field.IMAGE, "/usr/bin/dash").set(Field.REAL_USER_ID, real)
                .set(Field.USER_ID, effective).set(Field.EFFECTIVE_USER_ID, effective);
    }

    @Test
    void shouldReadLogonIdAsTheRealUid() {
        Matcher m = execSelection("        LogonId: 0\n").detection();
        assertTrue(m.matches(uids(0, 0)));
        // A setuid-root program run by www-data: effective root, real 33; Sysmon's LogonId says 33.
        assertFalse(m.matches(uids(33, 0)));
        assertTrue(execSelection("        LogonId: 33\n").detection().matches(uids(33, 0)));
    }

    @Test
    void shouldKeepTheEcsNameAsTheRealUidsOwnName() {
        assertEquals(Field.REAL_USER_ID, FieldCatalog.resolve("LogonId", 1, null));
        assertEquals("process.real_user.id", FieldCatalog.sigmaName(Field.REAL_USER_ID));
        assertEquals("process.real_user.id", FieldCatalog.ecsToRuleNames().get("process.real_user.id"));
        assertTrue(FieldCatalog.sigmaNames().contains("LogonId"));
    }
}
