/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * spawnwatch: the kernel <-> user space contract.
 *
 * This is the only header that both the BPF program (bpf/spawnwatch.bpf.c)
 * and user space depend on. The Java decoder mirrors every record below in
 * io.spawnwatch.event.*Descriptor, and RecordLayoutTest compares those offsets
 * with the table that bpf/layout_table.c prints from this very header.
 *
 * Rules for editing:
 *  - fixed-width types only (__u8 .. __u64), no bool/pid_t/uid_t;
 *  - every byte is visible: holes are spelled out as _pad fields;
 *  - every record starts with struct sw_record_header, size a multiple of 8;
 *  - a layout change bumps SW_RECORD_VERSION.
 */
#ifndef SPAWNWATCH_H
#define SPAWNWATCH_H

#define SW_RECORD_VERSION 4

#define SW_COMM_LEN 16
#define SW_PATH_LEN 512 /* executable paths; longer ones keep start and file name */
#define SW_CWD_LEN 256 /* working directories */
#define SW_ARGS_LEN 1024 /* argv bytes, NUL separated */

/* Record types. 0 is invalid so that a zeroed buffer never decodes. */
enum sw_record_type {
	SW_RECORD_INVALID = 0,
	SW_RECORD_EXEC = 1,
	SW_RECORD_CONNECT = 2,
	SW_RECORD_FORK = 3, /* a lineage member forked: struct sw_fork_record */
	SW_RECORD_LISTEN = 4, /* a TCP socket started listening: struct sw_listen_record */
	/* Visibility II. */
	SW_RECORD_FILE = 5, /* struct sw_file_record */
	SW_RECORD_DNS = 6, /* struct sw_dns_record */
	SW_RECORD_PRIVILEGE = 7, /* struct sw_privilege_record */
};

/* Why a process passed the in-kernel filter (sw_process.match bits). */
enum sw_match {
	SW_MATCH_WEB_COMM = 1 << 0, /* the process itself has a web-server name */
	SW_MATCH_WEB_PARENT = 1 << 1, /* its parent has a web-server name */
	SW_MATCH_WEB_USER = 1 << 2, /* it runs as a web-server uid */
	SW_MATCH_LINEAGE = 1 << 3, /* it descends from a web server */
	/* Not in the lineage, sent for user space to decide whether it is a web
	 * server: the exec of an interpreter (java, python...), judged by its own
	 * arguments, or any process that starts listening on TCP. */
	SW_MATCH_CANDIDATE = 1 << 4,
};

/* sw_exec_record.truncated bits: which fields did not fit; the same bits in
 * sw_exec_record.failed: which fields the kernel could not read (a page not
 * present, a dentry changing under the walk). A failed path keeps the part
 * read before the failure, without NULs; failed args are empty. */
enum sw_truncated {
	SW_TRUNC_EXE = 1 << 0,
	SW_TRUNC_PARENT_EXE = 1 << 1,
	SW_TRUNC_CWD = 1 << 2,
	SW_TRUNC_PARENT_CWD = 1 << 3,
	SW_TRUNC_ARGS = 1 << 4,
	SW_TRUNC_FILENAME = 1 << 5,
};

/* sw_exec_record.flags bits. */
enum sw_exec_flags {
	/* A #! script (or binfmt_misc): exe is the interpreter the kernel ran,
	 * filename the script as execve() named it. Without it, filename is the
	 * program exe names, as execve() named it: through a symlink
	 * (/usr/bin/nc for /usr/bin/nc.openbsd), a relative path, or the very
	 * same path. */
	SW_EXEC_SCRIPT = 1 << 0,
	/* parent_exe and parent_cwd were not read: user space has them from the
	 * parent's own exec or fork record (same pid and start time). */
	SW_EXEC_PARENT_KNOWN = 1 << 1,
};

/* Which connect hook produced a record (and which one is attached). */
enum sw_hook {
	SW_HOOK_NONE = 0,
	SW_HOOK_FENTRY_TCP_CONNECT = 1,
	SW_HOOK_KPROBE_TCP_CONNECT = 2,
	SW_HOOK_TP_INET_SOCK_SET_STATE = 3,
	SW_HOOK_FENTRY_INET_CSK_LISTEN_START = 4, /* listen only */
	/* cgroup socket-address hooks on the root cgroup (Visibility II): once
	 * per connect() or unconnected sendmsg(), before the kernel acts on it;
	 * they also see UDP. */
	SW_HOOK_CGROUP_CONNECT4 = 5,
	SW_HOOK_CGROUP_CONNECT6 = 6,
	SW_HOOK_CGROUP_SENDMSG4 = 7,
	SW_HOOK_CGROUP_SENDMSG6 = 8,
	/* listen(2)'s exit tracepoint: once per listen() call, where there
	 * are no trampolines; listen only. */
	SW_HOOK_TP_SYS_EXIT_LISTEN = 9,
};

/* Which socket state changes the tracepoint program reports (the value in
 * map "tp_roles"): user space sets it to the probes the tracepoint won. */
enum sw_tp_role {
	SW_TP_CONNECT = 1 << 0,
	SW_TP_LISTEN = 1 << 1,
};

/*
 * Per-CPU counters (map "counters", one __u64 per CPU per index). Every
 * failed bpf_ringbuf_reserve lands in one of the SW_DROP_* slots: no loss is
 * silent.
 */
enum sw_counter {
	SW_CNT_EXEC_SEEN = 0, /* every exec on the host */
	SW_CNT_EXEC_SENT = 1, /* execs that passed the filter and were sent */
	SW_CNT_CONNECT_SEEN = 2, /* every TCP connect attempt on the host */
	SW_CNT_CONNECT_SENT = 3,
	SW_CNT_LINEAGE_ADDED = 4, /* processes that entered the lineage map */
	SW_CNT_LINEAGE_ADD_FAILED = 5,
	SW_DROP_EXEC_RINGBUF_FULL = 6, /* exec records lost: ring full */
	SW_DROP_CONNECT_RINGBUF_FULL = 7, /* connect records lost: ring full */
	SW_CNT_FORK_SENT = 8, /* forks of lineage members sent */
	SW_DROP_FORK_RINGBUF_FULL = 9,
	SW_CNT_LISTEN_SEEN = 10, /* every TCP socket that started listening */
	SW_CNT_LISTEN_SENT = 11,
	SW_DROP_LISTEN_RINGBUF_FULL = 12,
	SW_CNT_READ_FAILED = 13, /* exec records with a field the kernel could not read */
	SW_CNT_MAX = 14,
};

/*
 * Common header of every ring-buffer record (16 bytes).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          type (u16)           |         version (u16)         | 0
 * +-------------------------------+-------------------------------+
 * |                     size of the record (u32)                  | 4
 * +---------------------------------------------------------------+
 * |            boot_ns: bpf_ktime_get_boot_ns() at the hook       | 8
 * |                             (u64)                             |
 * +---------------------------------------------------------------+
 */
struct sw_record_header {
	__u16 type;
	__u16 version;
	__u32 size;
	__u64 boot_ns;
};

/*
 * The identity of the process an event is about (120 bytes).
 *
 * +---------------------------------------------------------------+
 * | pid (tgid) u32                | tid u32                       | 0
 * | ppid (real parent tgid) u32   | uid u32                       | 8
 * | gid u32                       | euid u32                      | 16
 * | egid u32                      | sid u32                       | 24
 * | pgid u32                      | tty u32                       | 32
 * | lineage_root u32              | lineage_depth u32             | 40
 * | cgroup_id u64                                                 | 48
 * | start_boot_ns u64 (task->start_boottime)                      | 56
 * | parent_start_boot_ns u64 (real_parent->start_boottime)        | 64
 * | root_start_boot_ns u64 (the lineage root's start_boottime)    | 72
 * | match u32 (SW_MATCH_* bits)   | _pad0 u32                     | 80
 * | comm[16]                                                      | 88
 * | parent_comm[16]                                               | 104
 * +---------------------------------------------------------------+
 *
 * Process ids are the kernel's global ones (the initial pid namespace), as
 * the sensor sees them in its own /proc. A process is identified by
 * (pid, start_boot_ns): a pid alone may have been reused. The start times are
 * CLOCK_BOOTTIME nanoseconds; /proc/PID/stat gives the same instant in clock
 * ticks (field 22, starttime), so compare at tick resolution.
 *
 * sid and pgid are the tgids of the session and process-group leaders
 * (/proc/PID/stat fields 6 and 5). tty is the controlling terminal's device
 * number encoded as /proc/PID/stat's tty_nr (new_encode_dev: minor bits 0-7,
 * major bits 8-19, minor bits 8-19 in bits 20-31), 0 when there is none.
 *
 * lineage_root is the tgid of the web server this process descends from,
 * root_start_boot_ns that server's start time and lineage_depth the distance
 * from it (0 = the root itself, 1 = child); all 0 outside the lineage.
 */
struct sw_process {
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 sid;
	__u32 pgid;
	__u32 tty;
	__u32 lineage_root;
	__u32 lineage_depth;
	__u64 cgroup_id;
	__u64 start_boot_ns;
	__u64 parent_start_boot_ns;
	__u64 root_start_boot_ns;
	__u32 match;
	__u32 _pad0;
	char comm[SW_COMM_LEN];
	char parent_comm[SW_COMM_LEN];
};

/*
 * Exec record (3232 bytes), sent from tp_btf/sched_process_exec.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | argc u32 (the true argv count)| exe_len u16   | args_len u16  | 136
 * | cwd_len u16   | pexe_len u16  | pcwd_len u16  | truncated u16 | 144
 * | filename_len  | flags u16     | failed u16    | _pad0 u16     | 152
 * | exe[512]         the file the kernel runs (the interpreter)   | 160
 * | filename[512]    the path execve() was given (bprm->filename) | 672
 * | parent_exe[512]  the parent's executable                      | 1184
 * | cwd[256]         working directory                            | 1696
 * | parent_cwd[256]  the parent's working directory               | 1952
 * | args[1024]       argv, each argument NUL terminated           | 2208
 * +---------------------------------------------------------------+
 *
 * The *_len fields count the bytes used, without a final NUL. args_len
 * counts every byte including the NUL after each argument.
 *
 * Paths are named as /proc/PID/exe names them (d_path): a deleted file ends
 * in " (deleted)", a memfd is "/memfd:NAME (deleted)". A path longer than its
 * field keeps its start and its last component, joined by "/..." where the
 * middle was cut (SW_TRUNC_* bit set). filename is the path execve() was
 * given, unresolved: with SW_EXEC_SCRIPT the script the interpreter runs,
 * else the program itself by the name it was started with, which differs
 * from exe when that goes through a symlink (Debian's /usr/bin/nc ->
 * /etc/alternatives/nc -> /bin/nc.openbsd); a relative filename is relative
 * to cwd; a longer one than its field is cut at the end (SW_TRUNC_FILENAME).
 * User space compares it with exe (record contract version 4; until version
 * 3 it was filled for scripts only). parent_exe and parent_cwd are empty with
 * SW_EXEC_PARENT_KNOWN.
 */
struct sw_exec_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u32 argc;
	__u16 exe_len;
	__u16 args_len;
	__u16 cwd_len;
	__u16 parent_exe_len;
	__u16 parent_cwd_len;
	__u16 truncated;
	__u16 filename_len;
	__u16 flags;
	__u16 failed;
	__u16 _pad0;
	char exe[SW_PATH_LEN];
	char filename[SW_PATH_LEN];
	char parent_exe[SW_PATH_LEN];
	char cwd[SW_CWD_LEN];
	char parent_cwd[SW_CWD_LEN];
	char args[SW_ARGS_LEN];
};

/*
 * Fork record (136 bytes), sent from tp_btf/sched_process_fork when a
 * lineage member starts a new process. The process is the child: until it
 * execs it runs its parent's program, with its parent's command line.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process (the child)                                 | 16
 * +---------------------------------------------------------------+
 */
struct sw_fork_record {
	struct sw_record_header hdr;
	struct sw_process proc;
};

/*
 * Listen record (168 bytes), sent when a TCP socket starts listening: from a
 * lineage member always, from any other process as a server candidate.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | protocol u16  | port u16      | _pad0 u16     | 136
 * | addr[16] bound address (IPv4: first 4 bytes), network order   | 144
 * | hook u32 (SW_HOOK_*)          | backlog u32                   | 160
 * +---------------------------------------------------------------+
 *
 * port is the local port in host byte order; addr all zeros for a socket
 * bound to every address. backlog is 0 where the hook cannot see it.
 */
struct sw_listen_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u16 family;
	__u16 protocol;
	__u16 port;
	__u16 _pad0;
	__u8 addr[16];
	__u32 hook;
	__u32 backlog;
};

/*
 * Connect record (184 bytes), sent when a matching process starts a TCP
 * connection.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | protocol u16  | sport u16     | dport u16     | 136
 * | saddr[16] (IPv4: first 4 bytes, network order)                | 144
 * | daddr[16]                                                     | 160
 * | hook u32 (SW_HOOK_*)          | _pad0 u32                     | 176
 * +---------------------------------------------------------------+
 *
 * Ports are in host byte order. sport is 0 when the hook fires before the
 * kernel has picked the source port (the inet_sock_set_state tracepoint).
 */
struct sw_connect_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u16 family;
	__u16 protocol;
	__u16 sport;
	__u16 dport;
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 hook;
	__u32 _pad0;
};

/* ====================================================================== */
/* Visibility II: files, UDP and DNS, privilege (lineage members only)     */
/* ====================================================================== */

#define SW_FILE_PREFIX_LEN 64 /* bytes of a path the prefix trie looks at */
#define SW_FILE_NAME_LEN 32 /* base names in the "file_names" map */
#define SW_FILE_EXT_LEN 8 /* extensions in the "script_exts" map, with the dot */
#define SW_DNS_PAYLOAD_LEN 256 /* bytes of a DNS query copied for user space */

/*
 * Per-CPU counters of these hooks (map "vis_counters", one __u64 per CPU per
 * index): a map of its own, so that they never renumber enum sw_counter.
 */
enum sw_vis_counter {
	SW_VIS_FILE_LINEAGE = 0, /* file syscalls of lineage members that succeeded */
	SW_VIS_FILE_SENT = 1, /* ... whose path was in a watched class */
	SW_VIS_DROP_FILE_RINGBUF_FULL = 2,
	SW_VIS_UDP_SENT = 3, /* first datagram per process and destination */
	SW_VIS_UDP_REPEATS = 4, /* later datagrams to a destination already sent */
	SW_VIS_DROP_UDP_RINGBUF_FULL = 5,
	SW_VIS_DNS_SENT = 6, /* DNS queries from the lineage */
	SW_VIS_DROP_DNS_RINGBUF_FULL = 7,
	SW_VIS_PRIV_SENT = 8, /* a lineage member gained root or capabilities */
	SW_VIS_DROP_PRIV_RINGBUF_FULL = 9,
	SW_VIS_DROP_PRIV_PENDING_FULL = 10, /* set*uid/capset in flight, map full */
	SW_VIS_MAX = 11,
};

/* What a file record reports (sw_file_record.action). */
enum sw_file_action {
	SW_FILE_CREATE = 1, /* open() created the file */
	SW_FILE_WRITE = 2, /* an existing file opened for writing */
	SW_FILE_TRUNCATE = 3, /* ... with O_TRUNC */
	SW_FILE_RENAME = 4, /* rename into the path */
	SW_FILE_LINK = 5, /* hard or symbolic link made at the path */
	SW_FILE_CHMOD = 6, /* chmod that sets an execute bit */
};

/* Why a path is watched (value of "file_prefixes" and "file_names"). */
enum sw_file_class {
	SW_FILE_CLASS_NONE = 0,
	SW_FILE_CLASS_WRITABLE = 1, /* /tmp, /var/tmp, /dev/shm, /run/user... */
	SW_FILE_CLASS_PERSISTENCE = 2, /* cron, systemd, rc files, authorized_keys... */
	SW_FILE_CLASS_WEB_ROOT = 3, /* a script (by extension) under a web root */
};

/* Which hook produced a file record (sw_file_record.hook). */
enum sw_file_hook {
	SW_FILE_HOOK_FEXIT_DO_FILP_OPEN = 1,
	SW_FILE_HOOK_SYSCALL_TP = 2, /* tracepoint/syscalls/sys_exit_* */
};

/* sw_file_record.truncated bits. */
enum sw_file_truncated {
	SW_TRUNC_FILE_PATH = 1 << 0,
};

/*
 * File record (sizeof(hdr) + sizeof(proc) + 16 + SW_PATH_LEN), sent when a
 * lineage member writes to a path in a watched class.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | action u16    | class u16     | path_len u16  | truncated u16 | B+0
 * | mode u32 (chmod: new mode; else i_mode) | hook u16 | _pad0 u16| B+8
 * | path[512]   resolved path (opens: from the file opened)       | B+16
 * +---------------------------------------------------------------+
 *
 * B is the end of struct sw_process (104 with the 88-byte process).
 */
struct sw_file_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u16 action;
	__u16 class;
	__u16 path_len;
	__u16 truncated;
	__u32 mode;
	__u16 hook;
	__u16 _pad0;
	char path[SW_PATH_LEN];
};

/*
 * DNS query record: the first SW_DNS_PAYLOAD_LEN bytes of a datagram a
 * lineage member sent to UDP port 53; user space parses the question.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | dport u16     | payload_len u16 | _pad0 u16   | B+0
 * | total_len u32 (the datagram's length) | _pad1 u32             | B+8
 * | daddr[16]                                                     | B+16
 * | payload[256]                                                  | B+32
 * +---------------------------------------------------------------+
 */
struct sw_dns_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u16 family;
	__u16 dport;
	__u16 payload_len;
	__u16 _pad0;
	__u32 total_len;
	__u32 _pad1;
	__u8 daddr[16];
	__u8 payload[SW_DNS_PAYLOAD_LEN];
};

/* What changed the credentials (sw_privilege_record.how). */
enum sw_privilege_how {
	SW_PRIV_SETUID = 1,
	SW_PRIV_SETREUID = 2,
	SW_PRIV_SETRESUID = 3,
	SW_PRIV_CAPSET = 4,
};

/*
 * Privilege record: a lineage member whose effective uid became 0, or whose
 * effective capabilities grew, through a set*uid() or capset() call. (A
 * setuid-root exec shows in the exec record itself: euid 0, uid not 0.)
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process  (uid/euid: after the change)               | 16
 * | how u32                       | old_euid u32                  | B+0
 * | old_cap_effective u64                                         | B+8
 * | new_cap_effective u64                                         | B+16
 * +---------------------------------------------------------------+
 */
struct sw_privilege_record {
	struct sw_record_header hdr;
	struct sw_process proc;
	__u32 how;
	__u32 old_euid;
	__u64 old_cap_effective;
	__u64 new_cap_effective;
};

/* Key of "file_prefixes": an LPM trie over the first bytes of a path. */
struct sw_path_key {
	__u32 prefixlen; /* in bits */
	__u8 path[SW_FILE_PREFIX_LEN];
};

/* Key of "udp_seen": one datagram per process and destination goes up. */
struct sw_udp_key {
	__u32 tgid;
	__u16 family;
	__u16 dport;
	__u8 daddr[16];
};

#define SW_PROC_END (sizeof(struct sw_record_header) + sizeof(struct sw_process))
_Static_assert(sizeof(struct sw_file_record) == SW_PROC_END + 16 + SW_PATH_LEN, "sw_file_record");
_Static_assert(__builtin_offsetof(struct sw_file_record, path) == SW_PROC_END + 16, "file path");
_Static_assert(sizeof(struct sw_dns_record) == SW_PROC_END + 32 + SW_DNS_PAYLOAD_LEN, "sw_dns_record");
_Static_assert(__builtin_offsetof(struct sw_dns_record, payload) == SW_PROC_END + 32, "dns payload");
_Static_assert(sizeof(struct sw_privilege_record) == SW_PROC_END + 24, "sw_privilege_record");
_Static_assert(sizeof(struct sw_path_key) == 68, "sw_path_key");
_Static_assert(sizeof(struct sw_udp_key) == 24, "sw_udp_key");

/* Key of the web-server name LPM trie ("web_comms"). An exact name is stored
 * with its terminating NUL inside the prefix, a prefix without it. */
struct sw_comm_key {
	__u32 prefixlen; /* in bits */
	__u8 comm[SW_COMM_LEN];
};

/* Value of the lineage map ("lineage"), keyed by tgid. */
struct sw_lineage {
	__u32 root_pid; /* tgid of the web server at the root */
	__u32 depth; /* 1 = direct child of the web server; 0 = the root itself,
		      * for servers that user space recognised by command line */
	__u64 root_start_boot_ns; /* the root's start_boottime: (root_pid, this)
				   * names it even after its pid is reused */
};

_Static_assert(sizeof(struct sw_record_header) == 16, "sw_record_header");
_Static_assert(sizeof(struct sw_process) == 120, "sw_process");
_Static_assert(__builtin_offsetof(struct sw_process, start_boot_ns) == 56, "start_boot_ns");
_Static_assert(__builtin_offsetof(struct sw_process, comm) == 88, "comm");
_Static_assert(sizeof(struct sw_exec_record) == 3232, "sw_exec_record");
_Static_assert(sizeof(struct sw_exec_record) % 8 == 0, "8-byte multiple");
_Static_assert(__builtin_offsetof(struct sw_exec_record, exe) == 160, "exe");
_Static_assert(__builtin_offsetof(struct sw_exec_record, args) == 2208, "args");
_Static_assert(sizeof(struct sw_fork_record) == 136, "sw_fork_record");
_Static_assert(sizeof(struct sw_listen_record) == 168, "sw_listen_record");
_Static_assert(__builtin_offsetof(struct sw_listen_record, addr) == 144, "addr");
_Static_assert(sizeof(struct sw_connect_record) == 184, "sw_connect_record");
_Static_assert(__builtin_offsetof(struct sw_connect_record, daddr) == 160, "daddr");
_Static_assert(sizeof(struct sw_comm_key) == 20, "sw_comm_key");
_Static_assert(sizeof(struct sw_lineage) == 16, "sw_lineage");

#endif /* SPAWNWATCH_H */
