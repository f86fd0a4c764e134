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

#define SW_RECORD_VERSION 2

#define SW_COMM_LEN 16
#define SW_PATH_LEN 512 /* executable paths; longer ones are truncated */
#define SW_CWD_LEN 256 /* working directories */
#define SW_ARGS_LEN 1024 /* argv bytes, NUL separated */

/* Record types. 0 is invalid so that a zeroed buffer never decodes. */
enum sw_record_type {
	SW_RECORD_INVALID = 0,
	SW_RECORD_EXEC = 1,
	SW_RECORD_CONNECT = 2,
	/* Reserved by issue 10 (lineage and listeners), so that the record types
	 * other changes append get numbers that do not collide. */
	SW_RECORD_FORK = 3,
	SW_RECORD_LISTEN = 4,
};

/* Why a process passed the in-kernel filter (sw_process.match bits). */
enum sw_match {
	SW_MATCH_WEB_COMM = 1 << 0, /* the process itself has a web-server name */
	SW_MATCH_WEB_PARENT = 1 << 1, /* its parent has a web-server name */
	SW_MATCH_WEB_USER = 1 << 2, /* it runs as a web-server uid */
	SW_MATCH_LINEAGE = 1 << 3, /* it descends from a web server */
	/* An interpreter (java, python...) that may be serving the web: sent
	 * alone so that user space can decide from its command line. */
	SW_MATCH_CANDIDATE = 1 << 4,
};

/* sw_exec_record.truncated bits: which fields did not fit. */
enum sw_truncated {
	SW_TRUNC_EXE = 1 << 0,
	SW_TRUNC_PARENT_EXE = 1 << 1,
	SW_TRUNC_CWD = 1 << 2,
	SW_TRUNC_PARENT_CWD = 1 << 3,
	SW_TRUNC_ARGS = 1 << 4,
};

/* Which connect hook produced a record (and which one is attached). */
enum sw_hook {
	SW_HOOK_NONE = 0,
	SW_HOOK_FENTRY_TCP_CONNECT = 1,
	SW_HOOK_KPROBE_TCP_CONNECT = 2,
	SW_HOOK_TP_INET_SOCK_SET_STATE = 3,
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
	SW_CNT_MAX = 8,
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
 * Exec record (2712 bytes), sent from tp_btf/sched_process_exec.
 *
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | argc u32 (the true argv count)| exe_len u16   | args_len u16  | 136
 * | cwd_len u16   | pexe_len u16  | pcwd_len u16  | truncated u16 | 144
 * | exe[512]         resolved path of the new executable          | 152
 * | parent_exe[512]  the parent's executable                      | 664
 * | cwd[256]         working directory                            | 1176
 * | parent_cwd[256]  the parent's working directory               | 1432
 * | args[1024]       argv, each argument NUL terminated           | 1688
 * +---------------------------------------------------------------+
 *
 * The *_len fields count the bytes used, without a final NUL. args_len
 * counts every byte including the NUL after each argument.
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
	char exe[SW_PATH_LEN];
	char parent_exe[SW_PATH_LEN];
	char cwd[SW_CWD_LEN];
	char parent_cwd[SW_CWD_LEN];
	char args[SW_ARGS_LEN];
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
_Static_assert(sizeof(struct sw_exec_record) == 2712, "sw_exec_record");
_Static_assert(sizeof(struct sw_exec_record) % 8 == 0, "8-byte multiple");
_Static_assert(__builtin_offsetof(struct sw_exec_record, exe) == 152, "exe");
_Static_assert(__builtin_offsetof(struct sw_exec_record, args) == 1688, "args");
_Static_assert(sizeof(struct sw_connect_record) == 184, "sw_connect_record");
_Static_assert(__builtin_offsetof(struct sw_connect_record, daddr) == 160, "daddr");
_Static_assert(sizeof(struct sw_comm_key) == 20, "sw_comm_key");
_Static_assert(sizeof(struct sw_lineage) == 16, "sw_lineage");

#endif /* SPAWNWATCH_H */
