// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spawnwatch kernel side: follows web servers and everything they spawn, and
 * sends their execs and TCP connects to user space through one ring buffer.
 *
 * Filter (cheap, in this order): the process or its parent has a web-server
 * name (LPM trie "web_comms"), runs as a web-server uid ("web_uids"), or
 * descends from a web server ("lineage", kept by the fork/exit hooks and
 * seeded from /proc by user space). Everything else returns after a few map
 * lookups.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "spawnwatch.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define TCP_SYN_SENT 2

/* Path walking: at most this many components, built backwards in a per-CPU
 * scratch buffer of SW_SCRATCH_LEN bytes (a power of two, for the masks the
 * verifier needs) plus room for one more name. */
#define SW_MAX_PATH_COMPONENTS 48
#define SW_SCRATCH_LEN 1024
#define SW_NAME_MAX 255

/* Tunables, set by user space before load. They live in their own section,
 * so user space finds exactly them in the ".rodata.config" map (the compiler
 * puts constants of its own into plain .rodata). */
const volatile __u32 sensor_tgid SEC(".rodata.config") = 0; /* never report the sensor itself */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024); /* user space may resize */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, struct sw_comm_key);
	__type(value, __u8);
} web_comms SEC(".maps");

/* Interpreters that may be serving the web (java running Tomcat, python
 * running gunicorn): their execs go up alone, and user space puts the ones
 * whose command line shows a server into the lineage as roots. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 256);
	__type(key, struct sw_comm_key);
	__type(value, __u8);
} candidate_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} web_uids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct sw_lineage);
} lineage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct path_scratch {
	char buf[SW_SCRATCH_LEN + SW_NAME_MAX + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_scratch);
} scratch SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &idx);

	if (value)
		*value += 1;
}

/* ---------------------------------------------------------------------- */
/* Filter predicates                                                       */
/* ---------------------------------------------------------------------- */

static __always_inline bool comm_in(void *trie, const char *comm)
{
	struct sw_comm_key key = { .prefixlen = SW_COMM_LEN * 8 };
	bool ended = false;

	/* Copy up to the NUL and zero the rest, so that stale bytes after a
	 * shorter name can never extend a match. */
	for (int i = 0; i < SW_COMM_LEN; i++) {
		char c = comm[i];

		if (c == 0)
			ended = true;
		key.comm[i] = ended ? 0 : c;
	}
	return bpf_map_lookup_elem(trie, &key) != NULL;
}

static __always_inline bool is_web_comm(const char *comm)
{
	return comm_in(&web_comms, comm);
}

static __always_inline bool is_web_uid(__u32 uid)
{
	return bpf_map_lookup_elem(&web_uids, &uid) != NULL;
}

static __always_inline bool task_is_web_server(struct task_struct *task)
{
	char comm[SW_COMM_LEN];

	if (bpf_core_read(comm, sizeof(comm), &task->comm))
		return false;
	return is_web_comm(comm);
}

/* ---------------------------------------------------------------------- */
/* Path resolution: walk dentries and mounts up to the namespace root       */
/* ---------------------------------------------------------------------- */

struct path_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	char *buf;
	__u32 pos; /* start of the path built so far, in buf */
	__u32 done;
	__u32 truncated;
};

static long path_walk_step(__u32 index, void *data)
{
	struct path_walk *w = data;
	/* Locals, not w->...: BPF_CORE_READ would relocate our own struct. */
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);

	if (dentry == mnt_root || dentry == parent) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		/* Not at a mount root but its own parent: a detached tree. */
		if (dentry != mnt_root || mnt == mnt_parent) {
			w->done = 1;
			return 1;
		}
		/* Cross into the mount this one is mounted on. */
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mnt_parent;
		w->vfsmnt = &mnt_parent->mnt;
		return 0;
	}

	struct qstr name = BPF_CORE_READ(dentry, d_name);
	__u32 len = name.len & SW_NAME_MAX;

	if (len + 1 > w->pos) {
		w->truncated = 1;
		return 1;
	}
	w->pos -= len + 1;
	__u32 at = w->pos & (SW_SCRATCH_LEN - 1);

	w->buf[at] = '/';
	bpf_probe_read_kernel(&w->buf[(at + 1) & (SW_SCRATCH_LEN - 1)], len, name.name);
	w->dentry = parent;
	return 0;
}

/*
 * Resolves path into out (out_size bytes, a power of two); returns the
 * length used and sets *truncated when the path did not fit.
 */
static __always_inline __u16 read_path(const struct path *path, char *out, __u32 out_size,
				       __u16 *truncated, __u16 trunc_bit)
{
	__u32 key = 0;
	struct path_scratch *s = bpf_map_lookup_elem(&scratch, &key);
	struct path_walk w = {};

	if (!s || !path)
		return 0;
	w.dentry = BPF_CORE_READ(path, dentry);
	w.vfsmnt = BPF_CORE_READ(path, mnt);
	if (!w.dentry || !w.vfsmnt)
		return 0;
	w.mnt = container_of(w.vfsmnt, struct mount, mnt);
	w.buf = s->buf;
	w.pos = SW_SCRATCH_LEN;
	bpf_loop(SW_MAX_PATH_COMPONENTS, path_walk_step, &w, 0);
	if (!w.done)
		w.truncated = 1;

	__u32 len = SW_SCRATCH_LEN - w.pos;

	if (len == 0) {
		out[0] = '/';
		return 1;
	}
	if (len > out_size - 1) {
		len = out_size - 1;
		w.truncated = 1;
	}
	if (w.truncated)
		*truncated |= trunc_bit;
	/* Hide len from the compiler so the mask survives for the verifier. */
	asm volatile("" : "+r"(len));
	len &= out_size - 1;
	bpf_probe_read_kernel(out, len, &s->buf[w.pos & (SW_SCRATCH_LEN - 1)]);
	return len;
}

/* ---------------------------------------------------------------------- */
/* Process identity                                                        */
/* ---------------------------------------------------------------------- */

/* The controlling terminal as /proc/PID/stat's tty_nr: tty_devnum() (MKDEV of
 * the driver's major and minor_start, plus the index) in new_encode_dev()'s
 * encoding (fs/proc/array.c, include/linux/kdev_t.h); 0 without one. */
static __always_inline __u32 tty_nr(struct signal_struct *sig)
{
	struct tty_struct *tty = BPF_CORE_READ(sig, tty);
	__u32 dev, major, minor;

	if (!tty)
		return 0;
	dev = (BPF_CORE_READ(tty, driver, major) << 20) + BPF_CORE_READ(tty, driver, minor_start) +
	      BPF_CORE_READ(tty, index);
	major = dev >> 20;
	minor = dev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline void fill_process(struct sw_process *p, struct task_struct *task,
					 const struct sw_lineage *li, __u32 match)
{
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	const struct cred *cred = BPF_CORE_READ(task, real_cred);
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	struct pid *sid = BPF_CORE_READ(sig, pids[PIDTYPE_SID]);
	struct pid *pgid = BPF_CORE_READ(sig, pids[PIDTYPE_PGID]);

	p->pid = BPF_CORE_READ(task, tgid);
	p->tid = BPF_CORE_READ(task, pid);
	p->ppid = BPF_CORE_READ(parent, tgid);
	p->uid = BPF_CORE_READ(cred, uid.val);
	p->gid = BPF_CORE_READ(cred, gid.val);
	p->euid = BPF_CORE_READ(cred, euid.val);
	p->egid = BPF_CORE_READ(cred, egid.val);
	/* numbers[0]: the id in the initial pid namespace, as pid and tgid. */
	p->sid = sid ? BPF_CORE_READ(sid, numbers[0].nr) : 0;
	p->pgid = pgid ? BPF_CORE_READ(pgid, numbers[0].nr) : 0;
	p->tty = tty_nr(sig);
	p->lineage_root = li ? li->root_pid : 0;
	p->lineage_depth = li ? li->depth : 0;
	p->cgroup_id = bpf_get_current_cgroup_id();
	p->start_boot_ns = BPF_CORE_READ(task, start_boottime);
	p->parent_start_boot_ns = BPF_CORE_READ(parent, start_boottime);
	p->root_start_boot_ns = li ? li->root_start_boot_ns : 0;
	p->match = match;
	p->_pad0 = 0;
	bpf_core_read(p->comm, sizeof(p->comm), &task->comm);
	bpf_core_read(p->parent_comm, sizeof(p->parent_comm), &parent->comm);
}

/*
 * Decides whether an event of the current task goes up, and why. Returns the
 * SW_MATCH_* bits (0: filtered out) and copies the lineage entry into *li.
 */
static __always_inline __u32 match_task(struct task_struct *task, struct sw_lineage *li,
					bool *in_lineage)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	struct sw_lineage *entry;
	__u32 match = 0;

	if (tgid == sensor_tgid)
		return 0;
	entry = bpf_map_lookup_elem(&lineage, &tgid);
	if (entry) {
		*li = *entry;
		*in_lineage = true;
		match |= SW_MATCH_LINEAGE;
	}
	if (task_is_web_server(task))
		match |= SW_MATCH_WEB_COMM;
	if (task_is_web_server(parent))
		match |= SW_MATCH_WEB_PARENT;
	if (is_web_uid(BPF_CORE_READ(task, real_cred, uid.val)))
		match |= SW_MATCH_WEB_USER;
	return match;
}

static __always_inline void lineage_add(__u32 tgid, __u32 root, __u64 root_start, __u32 depth)
{
	struct sw_lineage value = { .root_pid = root, .depth = depth, .root_start_boot_ns = root_start };

	if (bpf_map_update_elem(&lineage, &tgid, &value, BPF_ANY))
		count(SW_CNT_LINEAGE_ADD_FAILED);
	else
		count(SW_CNT_LINEAGE_ADDED);
}

/* ---------------------------------------------------------------------- */
/* Lineage: fork and exit                                                  */
/* ---------------------------------------------------------------------- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	__u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	struct sw_lineage *li;

	/* New threads share the tgid of their process: nothing to track. */
	if (BPF_CORE_READ(child, pid) != child_tgid || child_tgid == parent_tgid)
		return 0;

	li = bpf_map_lookup_elem(&lineage, &parent_tgid);
	if (li) {
		lineage_add(child_tgid, li->root_pid, li->root_start_boot_ns, li->depth + 1);
		return 0;
	}
	if (task_is_web_server(parent) || is_web_uid(BPF_CORE_READ(parent, real_cred, uid.val)))
		lineage_add(child_tgid, parent_tgid, BPF_CORE_READ(parent, start_boottime), 1);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);

	/* Only the exit of the group leader ends the process. */
	if (BPF_CORE_READ(task, pid) != tgid)
		return 0;
	bpf_map_delete_elem(&lineage, &tgid);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Exec                                                                    */
/* ---------------------------------------------------------------------- */

static __always_inline void read_args(struct sw_exec_record *e, struct task_struct *task)
{
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;

	if (len > SW_ARGS_LEN - 1) {
		len = SW_ARGS_LEN - 1;
		e->truncated |= SW_TRUNC_ARGS;
	}
	asm volatile("" : "+r"(len));
	len &= SW_ARGS_LEN - 1;
	if (len && bpf_probe_read_user(e->args, len, (void *)start))
		len = 0;
	e->args_len = len;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct sw_lineage li = {};
	bool in_lineage = false;
	struct sw_exec_record *e;
	struct task_struct *parent;
	__u32 match;

	count(SW_CNT_EXEC_SEEN);
	match = match_task(task, &li, &in_lineage);
	if (!match) {
		char comm[SW_COMM_LEN];

		if (bpf_core_read(comm, sizeof(comm), &task->comm) || !comm_in(&candidate_comms, comm))
			return 0;
		match = SW_MATCH_CANDIDATE;
	}

	/* Direct BTF access (not BPF_CORE_READ) keeps parent a typed pointer, so
	 * that the path reads below can walk it. */
	parent = task->real_parent;
	/* A process forked before the sensor started, whose parent is a web
	 * server: it enters the lineage now. */
	if (!in_lineage && (match & SW_MATCH_WEB_PARENT)) {
		li.root_pid = BPF_CORE_READ(parent, tgid);
		li.root_start_boot_ns = BPF_CORE_READ(parent, start_boottime);
		li.depth = 1;
		lineage_add(BPF_CORE_READ(task, tgid), li.root_pid, li.root_start_boot_ns, li.depth);
		match |= SW_MATCH_LINEAGE;
	}

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_EXEC_RINGBUF_FULL);
		return 0;
	}
	e->hdr.type = SW_RECORD_EXEC;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&e->proc, task, (match & SW_MATCH_LINEAGE) ? &li : NULL, match);
	e->argc = BPF_CORE_READ(bprm, argc);
	e->truncated = 0;
	e->exe_len = read_path(&bprm->file->f_path, e->exe, SW_PATH_LEN, &e->truncated,
			       SW_TRUNC_EXE);
	e->cwd_len = read_path(&task->fs->pwd, e->cwd, SW_CWD_LEN, &e->truncated, SW_TRUNC_CWD);
	e->parent_exe_len = read_path(&parent->mm->exe_file->f_path, e->parent_exe, SW_PATH_LEN,
				      &e->truncated, SW_TRUNC_PARENT_EXE);
	e->parent_cwd_len = read_path(&parent->fs->pwd, e->parent_cwd, SW_CWD_LEN,
				      &e->truncated, SW_TRUNC_PARENT_CWD);
	read_args(e, task);
	bpf_ringbuf_submit(e, 0);
	count(SW_CNT_EXEC_SENT);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* TCP connect: three hooks, one body. User space attaches the first that   */
/* works, in the order fentry, kprobe, tracepoint.                          */
/* ---------------------------------------------------------------------- */

struct connect_addrs {
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u8 saddr[16];
	__u8 daddr[16];
};

static __always_inline int emit_connect(const struct connect_addrs *a, __u32 hook)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct sw_lineage li = {};
	bool in_lineage = false;
	struct sw_connect_record *e;
	__u32 match;

	count(SW_CNT_CONNECT_SEEN);
	if (a->family != AF_INET && a->family != AF_INET6)
		return 0;
	match = match_task(task, &li, &in_lineage);
	if (!match)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_CONNECT_RINGBUF_FULL);
		return 0;
	}
	e->hdr.type = SW_RECORD_CONNECT;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&e->proc, task, in_lineage ? &li : NULL, match);
	e->family = a->family;
	e->protocol = IPPROTO_TCP;
	e->sport = a->sport;
	e->dport = a->dport;
	__builtin_memcpy(e->saddr, a->saddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, a->daddr, sizeof(e->daddr));
	e->hook = hook;
	e->_pad0 = 0;
	bpf_ringbuf_submit(e, 0);
	count(SW_CNT_CONNECT_SENT);
	return 0;
}

/* tcp_connect(sk) runs after the source port is chosen: read it all from sk. */
static __always_inline int connect_from_sock(struct sock *sk, __u32 hook)
{
	struct connect_addrs a = {};

	a.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	a.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	a.dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (a.family == AF_INET) {
		BPF_CORE_READ_INTO(a.saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(a.daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(a.saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(a.daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	return emit_connect(&a, hook);
}

SEC("fentry/tcp_connect")
int BPF_PROG(fentry_tcp_connect, struct sock *sk)
{
	return connect_from_sock(sk, SW_HOOK_FENTRY_TCP_CONNECT);
}

SEC("kprobe/tcp_connect")
int BPF_KPROBE(kprobe_tcp_connect, struct sock *sk)
{
	return connect_from_sock(sk, SW_HOOK_KPROBE_TCP_CONNECT);
}

/* The stable tracepoint: the transition to SYN_SENT happens in connect(),
 * in the connecting task, before the source port is picked (sport is 0). */
SEC("tracepoint/sock/inet_sock_set_state")
int tp_inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct connect_addrs a = {};

	if (ctx->protocol != IPPROTO_TCP || ctx->newstate != TCP_SYN_SENT)
		return 0;
	a.family = ctx->family;
	a.sport = ctx->sport;
	a.dport = ctx->dport;
	/* The verifier refuses loads through a ctx pointer plus a variable
	 * offset, which memcpy can turn into: copy with a helper instead. */
	if (a.family == AF_INET) {
		bpf_probe_read_kernel(a.saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(a.daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(a.saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(a.daddr, 16, ctx->daddr_v6);
	}
	return emit_connect(&a, SW_HOOK_TP_INET_SOCK_SET_STATE);
}
