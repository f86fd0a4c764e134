package io.spawnwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** `stats` and `status` in 100 columns, whatever the number of counters or the length of a hook's name. */
class WideOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape of a real `stats --json` on this kernel (cgroup connect hook, tracepoint file hooks). */
    private static final String STATS = """
            {"hooks": {
              "exec": {"seen": 149, "sent": 20, "drops": 0},
              "lineage": {"added": 4, "add_failed": 0, "servers_recognised": 0, "candidates_ignored": 14,
                          "process_table_evictions": 0, "process_table_stale": 0, "roots_by_listen": 0,
                          "listeners_not_web": 0, "roots_by_command_line": 0, "interpreters_ignored": 14,
                          "root_failures": 0, "roots_forgotten": 0},
              "ring": {"delivered_records": 22, "discarded_records": 0, "wakeups": 16}},
             "rules": {"318e95ea-2c21-4272-b1a1-bf07308e812b": {"evaluated": 6, "matched": 2, "alerted": 2,
                          "suppressed_by_exception": 0, "suppressed_by_rarity": 0, "suppressed_by_new_terms": 0,
                          "suppressed_by_learning": 0, "suppressed_by_dedup": 0, "held_back": 0,
                          "slow_evaluations": 0, "slowest_evaluation_micros": 0}},
             "sinks": {"file:/var/log/spawnwatch/a-rather-long-name-for-the-alerts-file.ndjson":
                          {"offered": 2, "written": 2, "dropped": 0, "errors": 0, "queued": 0}},
             "control": {"connections": 1, "accepted": 2, "refused": 0, "requests": 2, "errors": 0,
                          "subscriber_drops": 0, "subscribers": []}}
            """;

    private static String print(java.util.function.BiConsumer<JsonNode, PrintWriter> printer, String json)
            throws Exception {
        StringWriter out = new StringWriter();
        printer.accept(JSON.readTree(json), new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void shouldPrintStatsCountersAsWrappedNameValueLines() throws Exception {
        assertEquals("""
                HOOKS
                exec     seen=149 sent=20 drops=0
                lineage  added=4 add_failed=0 servers_recognised=0 candidates_ignored=14 process_table_evictions=0
                         process_table_stale=0 roots_by_listen=0 listeners_not_web=0 roots_by_command_line=0
                         interpreters_ignored=14 root_failures=0 roots_forgotten=0
                ring     delivered_records=22 discarded_records=0 wakeups=16

                RULES
                318e95ea-2c21-4272-b1a1-bf07308e812b  evaluated=6 matched=2 alerted=2 suppressed_by_exception=0
                                                      suppressed_by_rarity=0 suppressed_by_new_terms=0
                                                      suppressed_by_learning=0 suppressed_by_dedup=0 held_back=0
                                                      slow_evaluations=0 slowest_evaluation_micros=0

                SINKS
                file:/var/log/spawnwatch/a-rather-long-name-for-the-alerts-file.ndjson
                                                      offered=2 written=2 dropped=0 errors=0 queued=0

                control: connections=1 accepted=2 refused=0 requests=2 errors=0 subscriber_drops=0
                """, print(StatsCommand::print, STATS));
    }

    @Test
    void shouldPrintEachHookAndWhyItsBetterCandidatesAreNotUsedWithinOneHundredColumns() throws Exception {
        String hooks = """
                [{"probe": "connect", "hook": "cgroup/connect4", "fallback": "fentry/tcp_connect: load failed: EPERM\
                 (Operation not permitted), no BPF trampolines on this kernel"},
                 {"probe": "file-name", "hook": "tracepoint/syscalls/sys_exit_{rename,renameat,renameat2,link,linkat,\
                symlink,symlinkat,chmod,fchmodat,fchmodat2,fchmod}", "fallback": null},
                 {"probe": "exec", "hook": "tp_btf/sched_process_exec", "fallback": null}]
                """;
        String text = print(StatusCommand::printHooks, hooks);
        assertEquals("""
                PROBE      HOOK (and the candidates before it that are not used)
                connect    cgroup/connect4
                           fentry/tcp_connect not used: load failed: EPERM (Operation not permitted), no BPF
                           trampolines on this kernel
                file-name  tracepoint/syscalls/sys_exit_{rename,renameat,renameat2,link,linkat,symlink,symlinkat,
                           chmod,fchmodat,fchmodat2,fchmod}
                exec       tp_btf/sched_process_exec
                """, text);
    }

    @Test
    void shouldKeepEveryLineOfStatsWithinOneHundredColumns() throws Exception {
        for (String line : print(StatsCommand::print, STATS).split("\n")) {
            assertTrue(line.length() <= 100 || !line.contains(" "), line.length() + ": " + line);
        }
    }
}
