package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.kernel.FilterMaps;
import io.spawnwatch.kernel.KernelCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java descriptors against the C compiler: build/bpf/layout.txt is printed
 * by bpf/layout_table.c, compiled from bpf/spawnwatch.h at build time.
 */
class RecordLayoutTest {
    private static final Map<String, long[]> C = new HashMap<>();

    @BeforeAll
    static void readTable() throws IOException {
        Path table = Path.of(System.getProperty("spawnwatch.build.dir", "../build"), "bpf", "layout.txt");
        assertTrue(Files.exists(table), table + " is missing: run `make build/bpf/layout.txt` (make test does)");
        for (String line : Files.readAllLines(table)) {
            String[] f = line.split(" ");
            C.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
    }

    private static void offset(String field, int javaOffset) {
        long[] c = C.get(field);
        assertTrue(c != null, "no " + field + " in layout.txt");
        assertEquals(c[0], javaOffset, field + " offset");
    }

    private static void size(String type, int javaSize) {
        assertEquals(C.get(type + ".sizeof")[1], javaSize, type + " size");
    }

    private static void constant(String name, long javaValue) {
        long[] c = C.get("const." + name);
        assertTrue(c != null, "no constant " + name + " in layout.txt");
        assertEquals(c[0], javaValue, name);
    }

    @Test
    void shouldMatchTheHeaderLayout() {
        size("sw_record_header", RecordDescriptor.HEADER_LENGTH);
        offset("sw_record_header.type", RecordDescriptor.TYPE_OFFSET);
        offset("sw_record_header.version", RecordDescriptor.VERSION_OFFSET);
        offset("sw_record_header.size", RecordDescriptor.SIZE_OFFSET);
        offset("sw_record_header.boot_ns", RecordDescriptor.BOOT_NS_OFFSET);
        offset("sw_exec_record.proc", RecordDescriptor.PROCESS_OFFSET);
        offset("sw_connect_record.proc", RecordDescriptor.PROCESS_OFFSET);
    }

    @Test
    void shouldMatchTheProcessLayout() {
        size("sw_process", ProcessDescriptor.LENGTH);
        offset("sw_process.pid", ProcessDescriptor.PID_OFFSET);
        offset("sw_process.tid", ProcessDescriptor.TID_OFFSET);
        offset("sw_process.ppid", ProcessDescriptor.PPID_OFFSET);
        offset("sw_process.uid", ProcessDescriptor.UID_OFFSET);
        offset("sw_process.gid", ProcessDescriptor.GID_OFFSET);
        offset("sw_process.euid", ProcessDescriptor.EUID_OFFSET);
        offset("sw_process.egid", ProcessDescriptor.EGID_OFFSET);
        offset("sw_process.sid", ProcessDescriptor.SID_OFFSET);
        offset("sw_process.pgid", ProcessDescriptor.PGID_OFFSET);
        offset("sw_process.tty", ProcessDescriptor.TTY_OFFSET);
        offset("sw_process.lineage_root", ProcessDescriptor.LINEAGE_ROOT_OFFSET);
        offset("sw_process.lineage_depth", ProcessDescriptor.LINEAGE_DEPTH_OFFSET);
        offset("sw_process.cgroup_id", ProcessDescriptor.CGROUP_ID_OFFSET);
        offset("sw_process.start_boot_ns", ProcessDescriptor.START_BOOT_NS_OFFSET);
        offset("sw_process.parent_start_boot_ns", ProcessDescriptor.PARENT_START_BOOT_NS_OFFSET);
        offset("sw_process.root_start_boot_ns", ProcessDescriptor.ROOT_START_BOOT_NS_OFFSET);
        offset("sw_process.match", ProcessDescriptor.MATCH_OFFSET);
        offset("sw_process.comm", ProcessDescriptor.COMM_OFFSET);
        offset("sw_process.parent_comm", ProcessDescriptor.PARENT_COMM_OFFSET);
        assertEquals(C.get("sw_process.comm")[1], ProcessDescriptor.COMM_LENGTH);
    }

    @Test
    void shouldMatchTheExecRecordLayout() {
        size("sw_exec_record", ExecRecordDescriptor.LENGTH);
        offset("sw_exec_record.argc", ExecRecordDescriptor.ARGC_OFFSET);
        offset("sw_exec_record.exe_len", ExecRecordDescriptor.EXE_LEN_OFFSET);
        offset("sw_exec_record.args_len", ExecRecordDescriptor.ARGS_LEN_OFFSET);
        offset("sw_exec_record.cwd_len", ExecRecordDescriptor.CWD_LEN_OFFSET);
        offset("sw_exec_record.parent_exe_len", ExecRecordDescriptor.PARENT_EXE_LEN_OFFSET);
        offset("sw_exec_record.parent_cwd_len", ExecRecordDescriptor.PARENT_CWD_LEN_OFFSET);
        offset("sw_exec_record.truncated", ExecRecordDescriptor.TRUNCATED_OFFSET);
        offset("sw_exec_record.filename_len", ExecRecordDescriptor.FILENAME_LEN_OFFSET);
        offset("sw_exec_record.flags", ExecRecordDescriptor.FLAGS_OFFSET);
        offset("sw_exec_record.failed", ExecRecordDescriptor.FAILED_OFFSET);
        offset("sw_exec_record.exe", ExecRecordDescriptor.EXE_OFFSET);
        offset("sw_exec_record.filename", ExecRecordDescriptor.FILENAME_OFFSET);
        offset("sw_exec_record.parent_exe", ExecRecordDescriptor.PARENT_EXE_OFFSET);
        offset("sw_exec_record.cwd", ExecRecordDescriptor.CWD_OFFSET);
        offset("sw_exec_record.parent_cwd", ExecRecordDescriptor.PARENT_CWD_OFFSET);
        offset("sw_exec_record.args", ExecRecordDescriptor.ARGS_OFFSET);
        assertEquals(C.get("sw_exec_record.exe")[1], ExecRecordDescriptor.PATH_CAPACITY);
        assertEquals(C.get("sw_exec_record.cwd")[1], ExecRecordDescriptor.CWD_CAPACITY);
        assertEquals(C.get("sw_exec_record.args")[1], ExecRecordDescriptor.ARGS_CAPACITY);
    }

    @Test
    void shouldMatchTheConnectRecordLayout() {
        size("sw_connect_record", ConnectRecordDescriptor.LENGTH);
        offset("sw_connect_record.family", ConnectRecordDescriptor.FAMILY_OFFSET);
        offset("sw_connect_record.protocol", ConnectRecordDescriptor.PROTOCOL_OFFSET);
        offset("sw_connect_record.sport", ConnectRecordDescriptor.SPORT_OFFSET);
        offset("sw_connect_record.dport", ConnectRecordDescriptor.DPORT_OFFSET);
        offset("sw_connect_record.saddr", ConnectRecordDescriptor.SADDR_OFFSET);
        offset("sw_connect_record.daddr", ConnectRecordDescriptor.DADDR_OFFSET);
        offset("sw_connect_record.hook", ConnectRecordDescriptor.HOOK_OFFSET);
    }

    @Test
    void shouldMatchTheForkAndListenRecordLayouts() {
        size("sw_fork_record", ForkRecordDescriptor.LENGTH);
        offset("sw_fork_record.proc", RecordDescriptor.PROCESS_OFFSET);
        size("sw_listen_record", ListenRecordDescriptor.LENGTH);
        offset("sw_listen_record.proc", RecordDescriptor.PROCESS_OFFSET);
        offset("sw_listen_record.family", ListenRecordDescriptor.FAMILY_OFFSET);
        offset("sw_listen_record.port", ListenRecordDescriptor.PORT_OFFSET);
        offset("sw_listen_record.addr", ListenRecordDescriptor.ADDR_OFFSET);
        offset("sw_listen_record.hook", ListenRecordDescriptor.HOOK_OFFSET);
        offset("sw_listen_record.backlog", ListenRecordDescriptor.BACKLOG_OFFSET);
    }

    @Test
    void shouldMatchTheLineageValueLayout() {
        size("sw_lineage", FilterMaps.LINEAGE_VALUE_SIZE);
        offset("sw_lineage.root_pid", FilterMaps.LINEAGE_ROOT_PID_OFFSET);
        offset("sw_lineage.depth", FilterMaps.LINEAGE_DEPTH_OFFSET);
        offset("sw_lineage.root_start_boot_ns", FilterMaps.LINEAGE_ROOT_START_OFFSET);
    }

    @Test
    void shouldMatchTheConstants() {
        constant("SW_RECORD_VERSION", RecordDescriptor.VERSION);
        constant("SW_RECORD_EXEC", RecordDescriptor.TYPE_EXEC);
        constant("SW_RECORD_CONNECT", RecordDescriptor.TYPE_CONNECT);
        constant("SW_RECORD_FORK", RecordDescriptor.TYPE_FORK);
        constant("SW_RECORD_LISTEN", RecordDescriptor.TYPE_LISTEN);
        constant("SW_MATCH_WEB_COMM", ProcessDescriptor.MATCH_WEB_COMM);
        constant("SW_MATCH_WEB_PARENT", ProcessDescriptor.MATCH_WEB_PARENT);
        constant("SW_MATCH_WEB_USER", ProcessDescriptor.MATCH_WEB_USER);
        constant("SW_MATCH_LINEAGE", ProcessDescriptor.MATCH_LINEAGE);
        constant("SW_MATCH_CANDIDATE", ProcessDescriptor.MATCH_CANDIDATE);
        constant("SW_TRUNC_EXE", ExecRecordDescriptor.TRUNC_EXE);
        constant("SW_TRUNC_PARENT_EXE", ExecRecordDescriptor.TRUNC_PARENT_EXE);
        constant("SW_TRUNC_CWD", ExecRecordDescriptor.TRUNC_CWD);
        constant("SW_TRUNC_PARENT_CWD", ExecRecordDescriptor.TRUNC_PARENT_CWD);
        constant("SW_TRUNC_ARGS", ExecRecordDescriptor.TRUNC_ARGS);
        constant("SW_TRUNC_FILENAME", ExecRecordDescriptor.TRUNC_FILENAME);
        constant("SW_EXEC_SCRIPT", ExecRecordDescriptor.FLAG_SCRIPT);
        constant("SW_EXEC_PARENT_KNOWN", ExecRecordDescriptor.FLAG_PARENT_KNOWN);
        constant("SW_TP_CONNECT", io.spawnwatch.kernel.KernelProbes.TP_CONNECT);
        constant("SW_TP_LISTEN", io.spawnwatch.kernel.KernelProbes.TP_LISTEN);
        constant("SW_HOOK_FENTRY_INET_CSK_LISTEN_START", ListenRecordDescriptor.HOOK_FENTRY_INET_CSK_LISTEN_START);
        constant("SW_HOOK_FENTRY_TCP_CONNECT", ConnectRecordDescriptor.HOOK_FENTRY_TCP_CONNECT);
        constant("SW_HOOK_KPROBE_TCP_CONNECT", ConnectRecordDescriptor.HOOK_KPROBE_TCP_CONNECT);
        constant("SW_HOOK_TP_INET_SOCK_SET_STATE", ConnectRecordDescriptor.HOOK_TP_INET_SOCK_SET_STATE);
        constant("SW_HOOK_TP_SYS_EXIT_LISTEN", ListenRecordDescriptor.HOOK_TP_SYS_EXIT_LISTEN);
    }

    @Test
    void shouldMatchTheVisibilityRecordLayouts() {
        size("sw_file_record", FileRecordDescriptor.LENGTH);
        offset("sw_file_record.proc", RecordDescriptor.PROCESS_OFFSET);
        offset("sw_file_record.action", FileRecordDescriptor.ACTION_OFFSET);
        offset("sw_file_record.class", FileRecordDescriptor.CLASS_OFFSET);
        offset("sw_file_record.path_len", FileRecordDescriptor.PATH_LEN_OFFSET);
        offset("sw_file_record.truncated", FileRecordDescriptor.TRUNCATED_OFFSET);
        offset("sw_file_record.mode", FileRecordDescriptor.MODE_OFFSET);
        offset("sw_file_record.hook", FileRecordDescriptor.HOOK_OFFSET);
        offset("sw_file_record.path", FileRecordDescriptor.PATH_OFFSET);
        assertEquals(C.get("sw_file_record.path")[1], FileRecordDescriptor.PATH_CAPACITY);

        size("sw_dns_record", DnsRecordDescriptor.LENGTH);
        offset("sw_dns_record.proc", RecordDescriptor.PROCESS_OFFSET);
        offset("sw_dns_record.family", DnsRecordDescriptor.FAMILY_OFFSET);
        offset("sw_dns_record.dport", DnsRecordDescriptor.DPORT_OFFSET);
        offset("sw_dns_record.payload_len", DnsRecordDescriptor.PAYLOAD_LEN_OFFSET);
        offset("sw_dns_record.total_len", DnsRecordDescriptor.TOTAL_LEN_OFFSET);
        offset("sw_dns_record.daddr", DnsRecordDescriptor.DADDR_OFFSET);
        offset("sw_dns_record.payload", DnsRecordDescriptor.PAYLOAD_OFFSET);
        assertEquals(C.get("sw_dns_record.payload")[1], DnsRecordDescriptor.PAYLOAD_CAPACITY);

        size("sw_privilege_record", PrivilegeRecordDescriptor.LENGTH);
        offset("sw_privilege_record.proc", RecordDescriptor.PROCESS_OFFSET);
        offset("sw_privilege_record.how", PrivilegeRecordDescriptor.HOW_OFFSET);
        offset("sw_privilege_record.old_euid", PrivilegeRecordDescriptor.OLD_EUID_OFFSET);
        offset("sw_privilege_record.old_cap_effective", PrivilegeRecordDescriptor.OLD_CAP_EFFECTIVE_OFFSET);
        offset("sw_privilege_record.new_cap_effective", PrivilegeRecordDescriptor.NEW_CAP_EFFECTIVE_OFFSET);
        assertEquals(C.get("sw_path_key.path")[1], FileRecordDescriptor.PREFIX_LENGTH);
    }

    @Test
    void shouldMatchTheVisibilityConstants() {
        constant("SW_RECORD_FILE", RecordDescriptor.TYPE_FILE);
        constant("SW_RECORD_DNS", RecordDescriptor.TYPE_DNS);
        constant("SW_RECORD_PRIVILEGE", RecordDescriptor.TYPE_PRIVILEGE);
        constant("SW_HOOK_CGROUP_CONNECT4", ConnectRecordDescriptor.HOOK_CGROUP_CONNECT4);
        constant("SW_HOOK_CGROUP_CONNECT6", ConnectRecordDescriptor.HOOK_CGROUP_CONNECT6);
        constant("SW_HOOK_CGROUP_SENDMSG4", ConnectRecordDescriptor.HOOK_CGROUP_SENDMSG4);
        constant("SW_HOOK_CGROUP_SENDMSG6", ConnectRecordDescriptor.HOOK_CGROUP_SENDMSG6);
        constant("SW_FILE_CREATE", FileRecordDescriptor.ACTION_CREATE);
        constant("SW_FILE_WRITE", FileRecordDescriptor.ACTION_WRITE);
        constant("SW_FILE_TRUNCATE", FileRecordDescriptor.ACTION_TRUNCATE);
        constant("SW_FILE_RENAME", FileRecordDescriptor.ACTION_RENAME);
        constant("SW_FILE_LINK", FileRecordDescriptor.ACTION_LINK);
        constant("SW_FILE_CHMOD", FileRecordDescriptor.ACTION_CHMOD);
        constant("SW_FILE_CLASS_WRITABLE", FileRecordDescriptor.CLASS_WRITABLE);
        constant("SW_FILE_CLASS_PERSISTENCE", FileRecordDescriptor.CLASS_PERSISTENCE);
        constant("SW_FILE_CLASS_WEB_ROOT", FileRecordDescriptor.CLASS_WEB_ROOT);
        constant("SW_FILE_HOOK_FEXIT_DO_FILP_OPEN", FileRecordDescriptor.HOOK_FEXIT_DO_FILP_OPEN);
        constant("SW_FILE_HOOK_SYSCALL_TP", FileRecordDescriptor.HOOK_SYSCALL_TP);
        constant("SW_TRUNC_FILE_PATH", FileRecordDescriptor.TRUNC_PATH);
        constant("SW_PRIV_SETUID", PrivilegeRecordDescriptor.HOW_SETUID);
        constant("SW_PRIV_SETREUID", PrivilegeRecordDescriptor.HOW_SETREUID);
        constant("SW_PRIV_SETRESUID", PrivilegeRecordDescriptor.HOW_SETRESUID);
        constant("SW_PRIV_CAPSET", PrivilegeRecordDescriptor.HOW_CAPSET);
        constant("SW_FILE_PREFIX_LEN", FileRecordDescriptor.PREFIX_LENGTH);
        constant("SW_FILE_NAME_LEN", FileRecordDescriptor.NAME_LENGTH);
        constant("SW_FILE_EXT_LEN", FileRecordDescriptor.EXTENSION_LENGTH);
        constant("SW_DNS_PAYLOAD_LEN", DnsRecordDescriptor.PAYLOAD_CAPACITY);
        String[] vis = {"SW_VIS_FILE_LINEAGE", "SW_VIS_FILE_SENT", "SW_VIS_DROP_FILE_RINGBUF_FULL",
            "SW_VIS_UDP_SENT", "SW_VIS_UDP_REPEATS", "SW_VIS_DROP_UDP_RINGBUF_FULL", "SW_VIS_DNS_SENT",
            "SW_VIS_DROP_DNS_RINGBUF_FULL", "SW_VIS_PRIV_SENT", "SW_VIS_DROP_PRIV_RINGBUF_FULL",
            "SW_VIS_DROP_PRIV_PENDING_FULL"};
        List<KernelCounter> ours = java.util.Arrays.stream(KernelCounter.values()).filter(KernelCounter::visibility)
                .toList();
        constant("SW_VIS_MAX", ours.size());
        for (int i = 0; i < vis.length; i++) {
            constant(vis[i], ours.get(i).index());
            assertEquals(i, ours.get(i).index());
            assertEquals(vis[i].replaceFirst("^SW_VIS_", "").replace("PRIV", "PRIVILEGE").toLowerCase(),
                    ours.get(i).label());
        }
    }

    @Test
    void shouldNameTheKernelCountersInEnumOrder() {
        String[] c = {"SW_CNT_EXEC_SEEN", "SW_CNT_EXEC_SENT", "SW_CNT_CONNECT_SEEN", "SW_CNT_CONNECT_SENT",
            "SW_CNT_LINEAGE_ADDED", "SW_CNT_LINEAGE_ADD_FAILED", "SW_DROP_EXEC_RINGBUF_FULL",
            "SW_DROP_CONNECT_RINGBUF_FULL", "SW_CNT_FORK_SENT", "SW_DROP_FORK_RINGBUF_FULL", "SW_CNT_LISTEN_SEEN",
            "SW_CNT_LISTEN_SENT", "SW_DROP_LISTEN_RINGBUF_FULL", "SW_CNT_READ_FAILED"};
        List<KernelCounter> main = java.util.Arrays.stream(KernelCounter.values()).filter(k -> !k.visibility())
                .toList();
        constant("SW_CNT_MAX", main.size());
        for (int i = 0; i < c.length; i++) {
            constant(c[i], i);
            assertEquals(i, main.get(i).index());
            assertEquals(c[i].replaceFirst("^SW_(CNT_)?", "").toLowerCase(), main.get(i).label());
        }
    }
}
