package io.spawnwatch.rules.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.TestEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExceptionListTest {
    private static ExceptionList.Loaded parse(String text) {
        return ExceptionList.parse("ex.yml", text, DetectionConfig.defaults(), Set.of("r1", "r2"));
    }

    @Test
    void shouldApplyEntriesToTheirRulesOrToAllWhenGlobal() {
        ExceptionList.Loaded l = parse("""
                exceptions:
                  - id: only-r1
                    comment: why
                    rules: [r1]
                    match: {process.executable: /usr/bin/convert}
                  - id: everywhere
                    match:
                      CurrentDirectory|startswith: /srv/
                """);
        assertEquals(List.of(), l.errors());
        assertEquals(2, l.list().forRule("r1").length);
        assertEquals(1, l.list().forRule("r2").length);
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/convert");
        assertEquals("only-r1", ExceptionList.excluding(l.list().forRule("r1"), e).id());
        assertNull(ExceptionList.excluding(l.list().forRule("r2"), e));
        assertEquals(1, l.list().entries().getFirst().hits().get());
    }

    @Test
    void shouldReportEveryBadEntryWithItsLineAndKeepTheGoodOnes() {
        ExceptionList.Loaded l = parse("""
                exceptions:
                  - id: good
                    match: {Image: /x}
                  - id: bad-field
                    match:
                      Imagee: /x
                  - id: bad-rule
                    rules: [r3]
                    match: {Image: /x}
                  - match: {Image: /x}
                  - id: good
                    match: {Image: /y}
                  - id: typo
                    mach: {Image: /y}
                """);
        assertEquals(List.of("good"), l.list().entries().stream().map(ExceptionList.Entry::id).toList());
        assertEquals(List.of(
                "ex.yml:6: unknown field 'Imagee'; known fields: Image, CommandLine, ProcessName, CurrentDirectory,"
                        + " ProcessId, User, UserId, GroupId, EffectiveUserId, ScriptPath, ParentImage, ParentCommandLine,"
                        + " ParentName, ParentCurrentDirectory, ParentProcessId, ContainerId, LineageRootName,"
                        + " LineageRootImage, LineageRootPid, LineageRootStart, LineageDepth, LineageChain, DestinationIp,"
                        + " DestinationPort, SourceIp, SourcePort, Protocol, Initiated, DestinationHostname, DnsQueryType,"
                        + " TargetFilename, FileAction, FileClass, FileMode, PrivilegeCall, PreviousEffectiveUserId,"
                        + " LogonId, process.args, process.real_user.id, process.real_user.name, process.parent.args",
                "ex.yml:8: exception 'bad-rule' names rule 'r3', which is not loaded",
                "ex.yml:10: exception has no id",
                "ex.yml:11: duplicate exception id 'good'",
                "ex.yml:14: unknown key 'mach' in exception (known: id, comment, rules, match, created_at)"),
                l.errors().stream().map(RuleError::format).toList());
    }

    @Test
    void shouldAcceptAnEmptyFile() {
        assertEquals(0, parse("").list().entries().size());
        assertEquals(0, parse("exceptions:\n").list().entries().size());
    }
}
