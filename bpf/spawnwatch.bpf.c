// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spawnwatch kernel side: follows web servers and everything they spawn, and
 * sends their execs, forks, TCP connects and listens to user space through
 * one ring buffer.
 *
 * The lineage map is the filter: a web server is in it itself (depth 0, a
 * "root") and every process it spawns below it. A process becomes a root when
 * it execs a program with a web-server name (LPM trie "web_comms") that is
 * not a #! script carrying that name, when it runs as a web-server uid
 * ("web_uids"), or when user space says so (a runtime that listens on TCP,
 * servers found at start-up). Everything else returns after a few map
 * lookups. An entry lives as long as its thread group: whichever thread
 * execs or exits first, it goes only when the last one exits.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "spawnwatch.h"

#define AF_INET 2
#define AF_INET6 10
#define SW_IPPROTO_TCP 6
#define SW_TCP_SYN_SENT 2
#define SW_TCP_LISTEN 10

/* Path walking: at most this many components, built backwards in a per-CPU
 * scratch buffer of SW_SCRATCH_LEN bytes (PATH_MAX; a power of two, for the
 * masks the verifier needs) plus room for one more name. */
#define SW_MAX_PATH_COMPONENTS 128
#define SW_SCRATCH_LEN 4096
#define SW_NAME_MAX 255
/* d_path()'s suffix for unlinked files and pseudo files such as memfds. */
#define SW_DELETED " (deleted)"
#define SW_DELETED_LEN 10
/* Where a path too long for its field was cut: "/start/of/pa/.../name". */
#define SW_CUT "/..."
#define SW_CUT_LEN 4

/* Tunables, set by user space before load. They live in their own section,
 * so user space finds exactly them in the ".rodata.config" map (the compiler
 * puts constants of its own into plain .rodata). */
const volatile __u32 sensor_tgid SEC(".rodata.config") = 0; /* never report the sensor itself */

/* Which state changes tp_inet_sock_set_state reports (enum sw_tp_role). It
 * is writable: user space narrows it once it knows which hooks the
 * tracepoint won, so that a connect is never reported twice. */
volatile __u32 tp_roles SEC(".data.roles") = SW_TP_CONNECT | SW_TP_LISTEN;

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

/* Interpreters that may be serving the web on an inherited socket (python
 * running a gunicorn master started by systemd socket activation): their
 * execs go up alone, and user space makes the ones whose own arguments name
 * a server lineage roots. Interpreters that listen themselves are found by
 * their listen. */
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

/*
 * Cheap negative answers for the hooks every process of the host runs (opens,
 * connects, forks...): one bit per key in an array of u64 words. A clear bit
 * means "not in the hash map", for sure; a set bit means "ask the hash map".
 * So a stale bit (an LRU eviction, a uid removed) costs one hash lookup, never
 * a wrong answer; only a missing bit would, which is why every writer of the
 * hash map sets the bit first. Array lookups are inlined by the verifier
 * (array_map_gen_lookup): the negative path is a few loads, no hashing, where
 * an LRU-hash lookup cost ~150 ns here (benchmarks/VISIBILITY.md).
 * BPF_F_MMAPABLE: user space sets bits with atomic ORs on its own mapping,
 * never a read-modify-write of a whole word that could lose the kernel's.
 */
#define SW_WORD_BITS 64

/* Bit tgid set: the tgid may be in "lineage". User space sizes the map from
 * /proc/sys/kernel/pid_max at load (pid_max / 64 words: 512 for the default
 * 32768); a tgid past the end (pid_max raised later) always asks the hash. The
 * fork and exec hooks set bits, the exit hook clears its own, user space sets
 * those of the roots it adds. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 32768 / SW_WORD_BITS);
	__type(key, __u32);
	__type(value, __u64);
} lineage_bits SEC(".maps");

/* Bit (uid mod 65536) set: the uid may be in "web_uids". Only user space
 * writes it, with the hash. */
#define SW_UID_FILTER_BITS 65536
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, SW_UID_FILTER_BITS / SW_WORD_BITS);
	__type(key, __u32);
	__type(value, __u64);
} web_uid_bits SEC(".maps");

/* Processes whose executable and working directory user space already has
 * (their exec or fork record was sent): tgid -> start_boottime. A child's
 * exec then skips the two path walks of its parent. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} reported SEC(".maps");

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

/* Whether bit n of a filter bitmap (lineage_bits, web_uid_bits) may be set:
 * false only when it is clear for sure. */
static __always_inline bool maybe_set(void *bits, __u32 n)
{
	__u32 word = n / SW_WORD_BITS;
	__u64 *w = bpf_map_lookup_elem(bits, &word);

	return !w || (*w >> (n % SW_WORD_BITS)) & 1;
}

static __always_inline bool is_web_uid(__u32 uid)
{
	if (!maybe_set(&web_uid_bits, uid % SW_UID_FILTER_BITS))
		return false;
	return bpf_map_lookup_elem(&web_uids, &uid) != NULL;
}

/* The lineage entry of tgid, or NULL; the bitmap answers most "no"s. */
static __always_inline struct sw_lineage *lineage_of(__u32 tgid)
{
	if (!maybe_set(&lineage_bits, tgid))
		return NULL;
	return bpf_map_lookup_elem(&lineage, &tgid);
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
	__u32 tail_len; /* bytes of the last component (and suffix), once known */
	__u32 done;
	__u32 failed;
};

/* One component, as prepend_path() in fs/d_path.c walks them. */
static long path_walk_step(__u32 index, void *data)
{
	struct path_walk *w = data;
	/* Locals, not w->...: BPF_CORE_READ would relocate our own struct. */
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);

	if (dentry == mnt_root) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		if (mnt == mnt_parent) {
			w->done = 1; /* the root of the namespace */
			return 1;
		}
		/* Cross into the mount this one is mounted on. */
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mnt_parent;
		w->vfsmnt = &mnt_parent->mnt;
		return 0;
	}
	/* Its own parent above the start: a detached tree, nothing more to name. */
	if (dentry == parent && index > 0) {
		w->done = 1;
		return 1;
	}

	struct qstr name = BPF_CORE_READ(dentry, d_name);
	__u32 len = name.len & SW_NAME_MAX;

	if (len + 1 > w->pos)
		return 1; /* longer than PATH_MAX: the start is lost (not done) */
	__u32 at = (w->pos - len - 1) & (SW_SCRATCH_LEN - 1);

	/* A failed read must not leave a hole of NULs: keep what is before it. */
	if (bpf_probe_read_kernel(&w->buf[(at + 1) & (SW_SCRATCH_LEN - 1)], len, name.name)) {
		w->failed = 1;
		return 1;
	}
	w->buf[at] = '/';
	w->pos = at;
	if (!w->tail_len)
		w->tail_len = SW_SCRATCH_LEN - at;
	/* A pseudo file (memfd) is its own parent: its name is all there is,
	 * as simple_dname() gives it. */
	if (dentry == parent) {
		w->done = 1;
		return 1;
	}
	w->dentry = parent;
	return 0;
}

/*
 * Resolves path into out (out_size bytes, a power of two) as d_path() names
 * it; returns the length used. A path that does not fit keeps its start and
 * its last component joined by SW_CUT; that, and a walk that could not reach
 * the root, sets bit in *truncated; a failed read sets it in *failed.
 */
static __always_inline __u16 read_path(const struct path *path, char *out, __u32 out_size,
				       __u16 *truncated, __u16 *failed, __u16 bit)
{
	__u32 key = 0;
	struct path_scratch *s = bpf_map_lookup_elem(&scratch, &key);
	struct path_walk w = {};

	if (!s || !path)
		return 0;
	/* Locals, not w.*: BPF_CORE_READ would relocate our own struct. */
	struct dentry *dentry = BPF_CORE_READ(path, dentry);
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);

	if (!dentry || !vfsmnt) {
		*failed |= bit;
		return 0;
	}
	w.dentry = dentry;
	w.vfsmnt = vfsmnt;
	w.mnt = container_of(vfsmnt, struct mount, mnt);
	w.buf = s->buf;
	w.pos = SW_SCRATCH_LEN;
	/* d_unlinked(): unhashed and not a root; pseudo files are unhashed roots
	 * that are not their mount's root. Both read " (deleted)" in d_path(). */
	struct dentry *first_parent = BPF_CORE_READ(dentry, d_parent);

	if (!BPF_CORE_READ(dentry, d_hash.pprev) &&
	    (dentry != first_parent || dentry != BPF_CORE_READ(vfsmnt, mnt_root))) {
		w.pos = SW_SCRATCH_LEN - SW_DELETED_LEN;
		__builtin_memcpy(&s->buf[SW_SCRATCH_LEN - SW_DELETED_LEN], SW_DELETED, SW_DELETED_LEN);
	}
	bpf_loop(SW_MAX_PATH_COMPONENTS, path_walk_step, &w, 0);
	if (w.failed)
		*failed |= bit;

	__u32 len = SW_SCRATCH_LEN - w.pos;
	__u32 pos = w.pos;

	if (!w.done) {
		/* The start is missing: say so where the start would be. */
		*truncated |= bit;
		if (pos >= SW_CUT_LEN) {
			pos -= SW_CUT_LEN;
			__builtin_memcpy(&s->buf[pos & (SW_SCRATCH_LEN - 1)], SW_CUT, SW_CUT_LEN);
			len += SW_CUT_LEN;
		}
	}
	if (len == 0) {
		out[0] = '/';
		return 1;
	}
	if (len <= out_size - 1) {
		/* Hide len from the compiler so the mask survives for the verifier. */
		asm volatile("" : "+r"(len));
		len &= out_size - 1;
		bpf_probe_read_kernel(out, len, &s->buf[pos & (SW_SCRATCH_LEN - 1)]);
		return len;
	}
	/* Too long: the start, SW_CUT, then the last component. */
	*truncated |= bit;
	__u32 tail = w.tail_len;
	__u32 head;

	if (tail > SW_NAME_MAX + 1 + SW_DELETED_LEN)
		tail = SW_NAME_MAX + 1 + SW_DELETED_LEN;
	head = out_size - 1 - SW_CUT_LEN - tail;
	asm volatile("" : "+r"(head));
	head &= out_size - 1;
	asm volatile("" : "+r"(tail));
	tail &= 511;
	bpf_probe_read_kernel(out, head, &s->buf[pos & (SW_SCRATCH_LEN - 1)]);
	char *cut = out + head;

	cut[0] = '/';
	cut[1] = '.';
	cut[2] = '.';
	cut[3] = '.';
	bpf_probe_read_kernel(out + ((head + SW_CUT_LEN) & (out_size - 1)), tail,
			      &s->buf[(SW_SCRATCH_LEN - tail) & (SW_SCRATCH_LEN - 1)]);
	return out_size - 1;
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

/*
 * Start times and the parent's name are the thread group leader's: a thread's
 * own start_boottime (a worker that forks, connects or opens) names no
 * process, while /proc/PID/stat's starttime and the process's exec record
 * carry the leader's (at exec, de_thread() gives the exec'ing thread the
 * leader's start). real_parent is the forking *thread*; its group leader is
 * the parent process.
 */
static __always_inline void fill_process(struct sw_process *p, struct task_struct *task,
					 const struct sw_lineage *li, __u32 match)
{
	struct task_struct *parent = BPF_CORE_READ(task, real_parent, group_leader);
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
	p->start_boot_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	p->parent_start_boot_ns = BPF_CORE_READ(parent, start_boottime);
	p->root_start_boot_ns = li ? li->root_start_boot_ns : 0;
	p->match = match;
	p->_pad0 = 0;
	bpf_core_read(p->comm, sizeof(p->comm), &task->comm);
	bpf_core_read(p->parent_comm, sizeof(p->parent_comm), &parent->comm);
}

/*
 * Decides whether an event of the current process goes up, and why: in the
 * lineage (a root: SW_MATCH_WEB_COMM; its child: SW_MATCH_WEB_PARENT; or
 * deeper), or running as a web-server uid. Returns the SW_MATCH_* bits (0:
 * filtered out) and copies the lineage entry into *li.
 *
 * On the hot path of every connect() on the host: helpers instead of task
 * reads, and no name lookup: every web server is in the lineage map itself
 * (a root: its exec of a web-server name, a web uid's fork or exec, or user
 * space's recognition and seeding), so the comm trie would only add #!
 * scripts that carry a server's name, which are not servers. For the rest of
 * the host: two bitmap loads.
 */
static __always_inline __u32 match_current(struct sw_lineage *li, bool *in_lineage)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct sw_lineage *entry;
	__u32 match = 0;

	if (tgid == sensor_tgid)
		return 0;
	entry = lineage_of(tgid);
	if (entry) {
		*li = *entry;
		*in_lineage = true;
		match |= SW_MATCH_LINEAGE;
		if (entry->depth == 0)
			match |= SW_MATCH_WEB_COMM;
		else if (entry->depth == 1)
			match |= SW_MATCH_WEB_PARENT;
	}
	if (is_web_uid((__u32)bpf_get_current_uid_gid()))
		match |= SW_MATCH_WEB_USER;
	return match;
}

/* Sets or clears the lineage bit of tgid (atomically: the word is shared with
 * 63 other tgids, on every CPU and in user space). */
static __always_inline void lineage_mark(__u32 tgid, bool set)
{
	__u32 word = tgid / SW_WORD_BITS;
	__u64 *w = bpf_map_lookup_elem(&lineage_bits, &word);
	__u64 bit = 1ULL << (tgid % SW_WORD_BITS);

	if (!w)
		return; /* past pid_max at load: lineage_of() asks the hash */
	if (set)
		__sync_fetch_and_or(w, bit);
	else if (*w & bit)
		__sync_fetch_and_and(w, ~bit);
}

static __always_inline void lineage_add(__u32 tgid, __u32 root, __u64 root_start, __u32 depth)
{
	struct sw_lineage value = { .root_pid = root, .depth = depth, .root_start_boot_ns = root_start };

	/* The bit first: a reader that finds it clear must be right. */
	lineage_mark(tgid, true);
	if (bpf_map_update_elem(&lineage, &tgid, &value, BPF_ANY))
		count(SW_CNT_LINEAGE_ADD_FAILED);
	else
		count(SW_CNT_LINEAGE_ADDED);
}

static __always_inline void fill_header(struct sw_record_header *h, __u16 type, __u32 size)
{
	h->type = type;
	h->version = SW_RECORD_VERSION;
	h->size = size;
	h->boot_ns = bpf_ktime_get_boot_ns();
}

/* ---------------------------------------------------------------------- */
/* Lineage: fork and exit                                                  */
/* ---------------------------------------------------------------------- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	__u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	struct sw_lineage *entry, li;
	struct sw_fork_record *e;

	/* New threads share the tgid of their process: nothing to track. */
	if (BPF_CORE_READ(child, pid) != child_tgid || child_tgid == parent_tgid ||
	    parent_tgid == sensor_tgid)
		return 0;

	entry = lineage_of(parent_tgid);
	if (entry) {
		li = *entry;
	} else {
		/* A web-server uid's process that never exec'd since the sensor
		 * started: it becomes a root here. */
		if (!is_web_uid(BPF_CORE_READ(parent, real_cred, uid.val)))
			return 0;
		li.root_pid = parent_tgid;
		li.depth = 0;
		li.root_start_boot_ns = BPF_CORE_READ(parent, group_leader, start_boottime);
		lineage_add(parent_tgid, li.root_pid, li.root_start_boot_ns, 0);
	}
	li.depth += 1;
	lineage_add(child_tgid, li.root_pid, li.root_start_boot_ns, li.depth);

	/* The child runs its parent's program until it execs: when user space
	 * knows the parent's, it knows the child's. parent is the forking
	 * thread: "reported" holds its process's (leader's) start. */
	__u64 parent_start = BPF_CORE_READ(parent, group_leader, start_boottime);
	__u64 *known = bpf_map_lookup_elem(&reported, &parent_tgid);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_FORK_RINGBUF_FULL);
		return 0;
	}
	fill_header(&e->hdr, SW_RECORD_FORK, sizeof(*e));
	fill_process(&e->proc, child, &li,
		     SW_MATCH_LINEAGE | (li.depth == 1 ? SW_MATCH_WEB_PARENT : 0));
	/* No wake-up: waking the reader from here costs the forking task ~20 us
	 * (measured, benchmarks/). A fork only matters to the events that follow
	 * it, and their submits wake the reader, which reads in ring order. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	count(SW_CNT_FORK_SENT);
	if (known && *known == parent_start) {
		__u64 child_start = BPF_CORE_READ(child, start_boottime);

		bpf_map_update_elem(&reported, &child_tgid, &child_start, BPF_ANY);
	}
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);

	/* The process ends with its last thread, not with its leader: a leader
	 * may exit first (pthread_exit), or be reaped by de_thread() when
	 * another thread execs. do_exit() drops signal->live before this
	 * tracepoint, so 0 means this is the last one. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	if (maybe_set(&lineage_bits, tgid)) {
		bpf_map_delete_elem(&lineage, &tgid);
		lineage_mark(tgid, false);
	}
	bpf_map_delete_elem(&reported, &tgid);
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
	if (len && bpf_probe_read_user(e->args, len, (void *)start)) {
		e->failed |= SW_TRUNC_ARGS;
		len = 0;
	}
	e->args_len = len;
}

/*
 * Who the exec'ing process is for the lineage: already in it (a root, or
 * below one), a new root (a web-server name that is the program itself, not
 * a #! script carrying it; a web-server uid), below a root its parent already
 * is (forked before the parent became one), or an interpreter sent alone as a
 * candidate. Returns the SW_MATCH_* bits, 0 to drop.
 */
static __always_inline __u32 exec_match(struct task_struct *task, struct linux_binprm *bprm,
					__u32 tgid, struct sw_lineage *li)
{
	struct sw_lineage *entry = lineage_of(tgid);
	__u32 uid = BPF_CORE_READ(task, real_cred, uid.val);
	__u32 match = is_web_uid(uid) ? SW_MATCH_WEB_USER : 0;
	char comm[SW_COMM_LEN];

	if (entry) {
		*li = *entry;
		match |= SW_MATCH_LINEAGE;
		if (li->depth == 0)
			match |= SW_MATCH_WEB_COMM;
		else if (li->depth == 1)
			match |= SW_MATCH_WEB_PARENT;
		return match;
	}
	if (bpf_core_read(comm, sizeof(comm), &task->comm))
		return 0;
	/* binfmt_script replaces interp with the interpreter's path. */
	bool script = BPF_CORE_READ(bprm, interp) != BPF_CORE_READ(bprm, filename);

	__u32 named = 0;

	if (!script && is_web_comm(comm))
		named = 1;
	/* Keep the compiler from OR-ing the map lookup's pointer into match. */
	asm volatile("" : "+r"(named));
	if (named || match) {
		li->root_pid = tgid;
		li->depth = 0;
		li->root_start_boot_ns = BPF_CORE_READ(task, start_boottime);
		lineage_add(tgid, tgid, li->root_start_boot_ns, 0);
		return match | SW_MATCH_LINEAGE | SW_MATCH_WEB_COMM;
	}
	__u32 ptgid = BPF_CORE_READ(task, real_parent, tgid);

	entry = lineage_of(ptgid);
	if (entry) {
		li->root_pid = entry->root_pid;
		li->root_start_boot_ns = entry->root_start_boot_ns;
		li->depth = entry->depth + 1;
		lineage_add(tgid, li->root_pid, li->root_start_boot_ns, li->depth);
		return SW_MATCH_LINEAGE | (li->depth == 1 ? SW_MATCH_WEB_PARENT : 0);
	}
	return comm_in(&candidate_comms, comm) ? SW_MATCH_CANDIDATE : 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct sw_lineage li = {};
	struct sw_exec_record *e;
	struct task_struct *parent;
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 match;

	count(SW_CNT_EXEC_SEEN);
	if (tgid == sensor_tgid)
		return 0;
	match = exec_match(task, bprm, tgid, &li);
	if (!match)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_EXEC_RINGBUF_FULL);
		return 0;
	}
	fill_header(&e->hdr, SW_RECORD_EXEC, sizeof(*e));
	fill_process(&e->proc, task, (match & SW_MATCH_LINEAGE) ? &li : NULL, match);
	e->argc = BPF_CORE_READ(bprm, argc);
	e->truncated = 0;
	e->failed = 0;
	e->flags = 0;
	e->_pad0 = 0;
	e->exe_len = read_path(&bprm->file->f_path, e->exe, SW_PATH_LEN, &e->truncated, &e->failed,
			       SW_TRUNC_EXE);
	/* The path execve() was given: a #! script's (binfmt_script replaced
	 * interp with the interpreter's), else the program's own, which names
	 * exe's file through a symlink when it was started by one (SigmaHQ's
	 * Image|endswith '/nc' needs it on Debian). One bounded copy per sent
	 * exec; user space compares it with exe, so no string compare here. */
	const char *filename = BPF_CORE_READ(bprm, filename);
	long n = bpf_probe_read_kernel_str(e->filename, SW_PATH_LEN, filename);

	if (BPF_CORE_READ(bprm, interp) != filename)
		e->flags |= SW_EXEC_SCRIPT;
	e->filename_len = n > 0 ? n - 1 : 0;
	if (n < 0)
		e->failed |= SW_TRUNC_FILENAME;
	if (n == SW_PATH_LEN)
		e->truncated |= SW_TRUNC_FILENAME;
	e->cwd_len = read_path(&task->fs->pwd, e->cwd, SW_CWD_LEN, &e->truncated, &e->failed,
			       SW_TRUNC_CWD);

	/* Direct BTF access (not BPF_CORE_READ) keeps parent a typed pointer, so
	 * that the path reads below can walk it. */
	parent = task->real_parent;
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u64 *known = bpf_map_lookup_elem(&reported, &ptgid);

	if (known && *known == BPF_CORE_READ(parent, group_leader, start_boottime)) {
		e->flags |= SW_EXEC_PARENT_KNOWN;
		e->parent_exe_len = 0;
		e->parent_cwd_len = 0;
	} else {
		e->parent_exe_len = read_path(&parent->mm->exe_file->f_path, e->parent_exe,
					      SW_PATH_LEN, &e->truncated, &e->failed,
					      SW_TRUNC_PARENT_EXE);
		e->parent_cwd_len = read_path(&parent->fs->pwd, e->parent_cwd, SW_CWD_LEN,
					      &e->truncated, &e->failed, SW_TRUNC_PARENT_CWD);
	}
	read_args(e, task);
	if (e->failed)
		count(SW_CNT_READ_FAILED);
	__u64 start = e->proc.start_boot_ns;

	bpf_ringbuf_submit(e, 0);
	count(SW_CNT_EXEC_SENT);
	bpf_map_update_elem(&reported, &tgid, &start, BPF_ANY);
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
	match = match_current(&li, &in_lineage);
	if (!match)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_CONNECT_RINGBUF_FULL);
		return 0;
	}
	fill_header(&e->hdr, SW_RECORD_CONNECT, sizeof(*e));
	fill_process(&e->proc, task, in_lineage ? &li : NULL, match);
	e->family = a->family;
	e->protocol = SW_IPPROTO_TCP;
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
	/* Explicit sizes: BPF_CORE_READ_INTO on an array reads sizeof(*dst), one byte. */
	if (a.family == AF_INET) {
		bpf_core_read(a.saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(a.daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(a.saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(a.daddr, 16, &sk->__sk_common.skc_v6_daddr);
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

/* ---------------------------------------------------------------------- */
/* TCP listen: two hooks, one body, tried in the order fentry, tracepoint.   */
/* Both fire in listen(), in the listening task.                            */
/* ---------------------------------------------------------------------- */

/*
 * A socket started listening. A lineage member's listen goes up (a bind
 * shell below a web server; a root's own listen says why it is one); any
 * other process's goes up as a candidate, for user space to decide whether
 * it is a web server (a runtime that listens). Listens are rare: the rest of
 * the host pays one state comparison per socket state change.
 */
static __always_inline int emit_listen(struct sock *sk, __u32 hook)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct sw_lineage li = {};
	bool in_lineage = false;
	struct sw_listen_record *e;
	__u32 match;

	count(SW_CNT_LISTEN_SEEN);
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (bpf_get_current_pid_tgid() >> 32 == sensor_tgid)
		return 0;
	match = match_current(&li, &in_lineage);
	if (!in_lineage)
		match |= SW_MATCH_CANDIDATE;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SW_DROP_LISTEN_RINGBUF_FULL);
		return 0;
	}
	fill_header(&e->hdr, SW_RECORD_LISTEN, sizeof(*e));
	fill_process(&e->proc, task, in_lineage ? &li : NULL, match);
	e->family = family;
	e->protocol = SW_IPPROTO_TCP;
	e->port = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->_pad0 = 0;
	__builtin_memset(e->addr, 0, sizeof(e->addr));
	if (family == AF_INET)
		BPF_CORE_READ_INTO(&e->addr, sk, __sk_common.skc_rcv_saddr);
	else
		BPF_CORE_READ_INTO(&e->addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	e->hook = hook;
	e->backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
	bpf_ringbuf_submit(e, 0);
	count(SW_CNT_LISTEN_SENT);
	return 0;
}

SEC("fentry/inet_csk_listen_start")
int BPF_PROG(fentry_inet_csk_listen_start, struct sock *sk)
{
	return emit_listen(sk, SW_HOOK_FENTRY_INET_CSK_LISTEN_START);
}

/* The stable tracepoint serves both probes. SYN_SENT happens in connect(), in
 * the connecting task, before the source port is picked (sport is 0); LISTEN
 * in listen(), in the listening task. tp_roles says which it reports. */
SEC("tracepoint/sock/inet_sock_set_state")
int tp_inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct connect_addrs a = {};

	if (ctx->protocol != SW_IPPROTO_TCP)
		return 0;
	if (ctx->newstate == SW_TCP_LISTEN) {
		if (!(tp_roles & SW_TP_LISTEN))
			return 0;
		return emit_listen((struct sock *)ctx->skaddr, SW_HOOK_TP_INET_SOCK_SET_STATE);
	}
	if (ctx->newstate != SW_TCP_SYN_SENT || !(tp_roles & SW_TP_CONNECT))
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

/* ====================================================================== */
/* Visibility II: files, UDP and DNS, privilege (issue 13).                */
/*                                                                        */
/* Every hook below is for lineage members only, and looks the lineage up  */
/* first: the rest of the host pays that one map lookup per hooked syscall */
/* (after a check of the syscall's own result, which costs no lookup).     */
/* ====================================================================== */

#define IPPROTO_UDP 17
#define SOCK_DGRAM 2
#define AT_FDCWD -100
#define O_TRUNC 01000
#define O_ACCMODE 03
#define S_IXUGO 00111
#define DNS_PORT 53
/* include/linux/fs.h; defines, so not in BTF. FMODE_CREATED has been bit 20
 * since it replaced FILE_CREATED (v4.19, "introduce FMODE_CREATED"). */
#define FMODE_WRITE 0x2
#define FMODE_CREATED (1 << 20)

/* Whether the cgroup connect hooks report TCP connects: user space clears it
 * when fentry/tcp_connect does (the cgroup hooks then report UDP only). Its
 * own section, so it never reshapes .rodata.config. */
const volatile __u32 cgroup_connect_tcp SEC(".rodata.vis") = 1;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_VIS_MAX);
	__type(key, __u32);
	__type(value, __u64);
} vis_counters SEC(".maps");

/* Watched path prefixes (writable dirs, persistence dirs, web roots): the
 * longest prefix of the path's first SW_FILE_PREFIX_LEN bytes wins. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, struct sw_path_key);
	__type(value, __u32);
} file_prefixes SEC(".maps");

/* Watched base names wherever they are (authorized_keys, .bashrc...). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[SW_FILE_NAME_LEN]);
	__type(value, __u32);
} file_names SEC(".maps");

/* Script extensions (".php"...): under a web root only these are watched. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[SW_FILE_EXT_LEN]);
	__type(value, __u8);
} script_exts SEC(".maps");

/* The first UDP datagram per (process, destination) goes up; an LRU, so an
 * attacker spraying destinations evicts old keys instead of growing it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct sw_udp_key);
	__type(value, __u8);
} udp_seen SEC(".maps");

/* Credentials of a lineage thread inside set*uid()/capset(), keyed by tid,
 * from the syscall's entry to its exit. */
struct priv_before {
	__u32 euid;
	__u32 how;
	__u64 cap_effective;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct priv_before);
} priv_pending SEC(".maps");

/* The file record is built here, classified, and copied to the ring only
 * when its path is watched; the slack lets a relative name be appended at
 * any offset below SW_PATH_LEN with a constant-size read. */
struct file_scratch {
	struct sw_file_record rec;
	char slack[SW_NAME_MAX + 1];
	char name[SW_FILE_NAME_LEN];
	char ext[SW_FILE_EXT_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_scratch);
} file_scratch SEC(".maps");

static __always_inline void vis_count(__u32 idx)
{
	__u64 *value = bpf_map_lookup_elem(&vis_counters, &idx);

	if (value)
		*value += 1;
}

/* The lineage entry of the current process, or NULL: the first check of every
 * hook below. */
static __always_inline struct sw_lineage *current_lineage(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid == sensor_tgid)
		return NULL;
	return lineage_of(tgid);
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd & 0xffffff]);
	return file;
}

/* The syscall's arguments at its exit: the user registers saved at entry. */
static __always_inline struct pt_regs *syscall_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* ---------------------------------------------------------------------- */
/* Files                                                                   */
/* ---------------------------------------------------------------------- */

/* Scans a path buffer (SW_PATH_LEN bytes) backwards from len for the byte c;
 * found = its index + 1 (0: none). */
struct byte_scan {
	const char *buf;
	__u32 len;
	__u32 found;
	char c;
};

static long byte_scan_step(__u32 i, void *data)
{
	struct byte_scan *s = data;
	__u32 at;

	if (i >= s->len)
		return 1;
	at = s->len - 1 - i;
	if (s->buf[at & (SW_PATH_LEN - 1)] == s->c) {
		s->found = at + 1;
		return 1;
	}
	return 0;
}

/* Class of rec->path: a watched base name, else the longest watched prefix;
 * under a web root only script extensions count. name and ext are scratch
 * buffers of SW_FILE_NAME_LEN and SW_FILE_EXT_LEN bytes. */
static __always_inline __u32 classify_path(struct sw_file_record *rec, char *name, char *ext)
{
	struct sw_path_key key = { .prefixlen = SW_FILE_PREFIX_LEN * 8 };
	struct byte_scan scan = {};
	__u32 len = rec->path_len;
	__u32 start, copy;
	__u32 *class;
	long n;

	if (len == 0 || len >= SW_PATH_LEN)
		return SW_FILE_CLASS_NONE;
	rec->path[len & (SW_PATH_LEN - 1)] = 0;
	/* The base name starts after the last '/'. */
	scan.buf = rec->path;
	scan.len = len;
	scan.c = '/';
	bpf_loop(SW_PATH_LEN, byte_scan_step, &scan, 0);
	start = scan.found;
	__builtin_memset(name, 0, SW_FILE_NAME_LEN);
	n = bpf_probe_read_kernel_str(name, SW_FILE_NAME_LEN, &rec->path[start & (SW_PATH_LEN - 1)]);
	if (n > 0 && len - start < SW_FILE_NAME_LEN) {
		class = bpf_map_lookup_elem(&file_names, name);
		if (class)
			return *class;
	}
	/* The key must be zero after the path: copy exactly its bytes. */
	copy = len < SW_FILE_PREFIX_LEN ? len : SW_FILE_PREFIX_LEN;
	asm volatile("" : "+r"(copy));
	copy &= SW_FILE_PREFIX_LEN * 2 - 1;
	if (copy > SW_FILE_PREFIX_LEN)
		copy = SW_FILE_PREFIX_LEN;
	if (copy == 0)
		return SW_FILE_CLASS_NONE;
	bpf_probe_read_kernel(key.path, copy, rec->path);
	class = bpf_map_lookup_elem(&file_prefixes, &key);
	if (!class)
		return SW_FILE_CLASS_NONE;
	if (*class != SW_FILE_CLASS_WEB_ROOT)
		return *class;
	/* A web root: scripts only, by extension (lower-cased, with the dot),
	 * taken from the path's end so that long names count too. */
	scan.c = '.';
	scan.found = 0;
	bpf_loop(SW_FILE_NAME_LEN, byte_scan_step, &scan, 0);
	if (scan.found <= start || len - scan.found >= SW_FILE_EXT_LEN - 1)
		return SW_FILE_CLASS_NONE;
	__builtin_memset(ext, 0, SW_FILE_EXT_LEN);
	bpf_probe_read_kernel_str(ext, SW_FILE_EXT_LEN, &rec->path[(scan.found - 1) & (SW_PATH_LEN - 1)]);
	for (int i = 1; i < SW_FILE_EXT_LEN; i++) {
		char c = ext[i];

		if (c >= 'A' && c <= 'Z')
			ext[i] = c + 32;
	}
	return bpf_map_lookup_elem(&script_exts, ext) ? SW_FILE_CLASS_WEB_ROOT : SW_FILE_CLASS_NONE;
}

static __always_inline struct sw_file_record *file_record(void)
{
	__u32 zero = 0;
	struct file_scratch *s = bpf_map_lookup_elem(&file_scratch, &zero);

	return s ? &s->rec : NULL;
}

/* The scratch record's name and ext buffers follow it in struct file_scratch. */
static __always_inline struct file_scratch *scratch_of(struct sw_file_record *rec)
{
	return container_of(rec, struct file_scratch, rec);
}

/* Classifies the record built in the scratch buffer and, when watched, fills
 * in the process and copies it to the ring. */
static __always_inline int send_file(struct sw_file_record *rec, const struct sw_lineage *li, __u16 action,
				     __u32 mode, __u16 hook)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 class;

	vis_count(SW_VIS_FILE_LINEAGE);
	class = classify_path(rec, scratch_of(rec)->name, scratch_of(rec)->ext);
	if (class == SW_FILE_CLASS_NONE)
		return 0;
	rec->hdr.type = SW_RECORD_FILE;
	rec->hdr.version = SW_RECORD_VERSION;
	rec->hdr.size = sizeof(*rec);
	rec->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&rec->proc, task, li, SW_MATCH_LINEAGE);
	rec->action = action;
	rec->class = class;
	rec->mode = mode;
	rec->hook = hook;
	rec->_pad0 = 0;
	if (bpf_ringbuf_output(&events, rec, sizeof(*rec), 0)) {
		vis_count(SW_VIS_DROP_FILE_RINGBUF_FULL);
		return 0;
	}
	vis_count(SW_VIS_FILE_SENT);
	return 0;
}

/* A successful open: the path of the file actually opened, if for writing. */
/* File records carry no failed bits: a failed read keeps the part read before
 * the failure (no NULs), and that part is what the record reports. */
static __always_inline __u16 read_file_path(const struct path *path, char *out, __u16 *truncated)
{
	__u16 failed = 0;

	return read_path(path, out, SW_PATH_LEN, truncated, &failed, SW_TRUNC_FILE_PATH);
}

static __always_inline int file_opened(struct file *file, const struct sw_lineage *li, __u64 open_flags,
				       __u16 hook)
{
	struct sw_file_record *rec;
	__u32 f_mode;
	__u16 action;

	if (!file)
		return 0;
	f_mode = BPF_CORE_READ(file, f_mode);
	if (!(f_mode & FMODE_WRITE))
		return 0;
	rec = file_record();
	if (!rec)
		return 0;
	if (f_mode & FMODE_CREATED)
		action = SW_FILE_CREATE;
	else if (open_flags & O_TRUNC)
		action = SW_FILE_TRUNCATE;
	else
		action = SW_FILE_WRITE;
	rec->truncated = 0;
	rec->path_len = read_file_path(&file->f_path, rec->path, &rec->truncated);
	return send_file(rec, li, action, BPF_CORE_READ(file, f_inode, i_mode), hook);
}

/* fexit/do_filp_open: where BPF trampolines exist, one hook for every open. */
SEC("fexit/do_filp_open")
int BPF_PROG(fexit_do_filp_open, int dfd, struct filename *pathname, const struct open_flags *op,
	     struct file *ret)
{
	struct sw_lineage *li;

	if ((long)ret <= 0 && (long)ret > -4096)
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	return file_opened(ret, li, BPF_CORE_READ(op, open_flag), SW_FILE_HOOK_FEXIT_DO_FILP_OPEN);
}

/* The syscall tracepoints: the fd returned, and the flags from the saved
 * registers (argument `flags_arg`, 1-based; 0: creat, which truncates). */
static __always_inline int open_exit(long ret, int flags_arg)
{
	struct sw_lineage *li;
	struct pt_regs *regs;
	__u64 flags = O_TRUNC;

	if (ret < 0)
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	regs = syscall_regs();
	if (flags_arg == 2)
		flags = PT_REGS_PARM2_CORE_SYSCALL(regs);
	else if (flags_arg == 3)
		flags = PT_REGS_PARM3_CORE_SYSCALL(regs);
	else if (flags_arg == 4) { /* openat2: struct open_how * */
		struct open_how *how = (struct open_how *)PT_REGS_PARM3_CORE_SYSCALL(regs);

		flags = 0;
		bpf_probe_read_user(&flags, sizeof(flags), &how->flags);
	}
	return file_opened(fd_file(bpf_get_current_task_btf(), ret), li, flags, SW_FILE_HOOK_SYSCALL_TP);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tp_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret, 3);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tp_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret, 2);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int tp_exit_creat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret, 0);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int tp_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret, 4);
}

/*
 * rename/link/symlink/chmod name a path, not a file we can read at the exit:
 * the path is the directory (the dirfd's file, or the working directory)
 * resolved in the kernel, plus the caller's name when it is relative.
 */
static __always_inline int named_path(struct sw_file_record *rec, long dirfd, const char *name)
{
	struct task_struct *task = bpf_get_current_task_btf();
	char first = 0;
	__u32 len;
	long n;

	rec->truncated = 0;
	bpf_probe_read_user(&first, 1, name);
	if (first == '/') {
		n = bpf_probe_read_user_str(rec->path, SW_PATH_LEN, name);
		if (n <= 0)
			return -1;
		rec->path_len = n - 1;
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		len = read_file_path(&task->fs->pwd, rec->path, &rec->truncated);
	} else {
		struct file *dir = fd_file(task, dirfd);

		if (!dir)
			return -1;
		len = read_file_path(&dir->f_path, rec->path, &rec->truncated);
	}
	if (len == 1) /* the root: "/" */
		len = 0;
	if (len >= SW_PATH_LEN - 1) {
		rec->truncated |= SW_TRUNC_FILE_PATH;
		rec->path_len = len;
		return 0;
	}
	rec->path[len & (SW_PATH_LEN - 1)] = '/';
	len++;
	n = bpf_probe_read_user_str(&rec->path[len & (SW_PATH_LEN - 1)], SW_NAME_MAX + 1, name);
	if (n <= 0)
		return -1;
	len += n - 1;
	if (len >= SW_PATH_LEN) {
		len = SW_PATH_LEN - 1;
		rec->truncated |= SW_TRUNC_FILE_PATH;
	}
	rec->path_len = len;
	return 0;
}

/* Shared body of rename/link/symlink/chmod exits: dirfd_arg 0 means AT_FDCWD;
 * mode_arg 0 means no mode (chmod needs an execute bit to be watched). */
static __always_inline int named_exit(long ret, int dirfd_arg, int name_arg, int mode_arg, __u16 action)
{
	struct sw_file_record *rec;
	struct sw_lineage *li;
	struct pt_regs *regs;
	unsigned long args[4];
	long dirfd = AT_FDCWD;
	__u32 mode = 0;

	if (ret != 0)
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	regs = syscall_regs();
	args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	args[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	if (mode_arg) {
		mode = args[(mode_arg - 1) & 3];
		if (!(mode & S_IXUGO))
			return 0;
	}
	if (dirfd_arg)
		dirfd = (int)args[(dirfd_arg - 1) & 3];
	rec = file_record();
	if (!rec || named_path(rec, dirfd, (const char *)args[(name_arg - 1) & 3]))
		return 0;
	return send_file(rec, li, action, mode, SW_FILE_HOOK_SYSCALL_TP);
}

SEC("tracepoint/syscalls/sys_exit_rename")
int tp_exit_rename(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 0, 2, 0, SW_FILE_RENAME);
}

SEC("tracepoint/syscalls/sys_exit_renameat")
int tp_exit_renameat(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 3, 4, 0, SW_FILE_RENAME);
}

SEC("tracepoint/syscalls/sys_exit_renameat2")
int tp_exit_renameat2(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 3, 4, 0, SW_FILE_RENAME);
}

SEC("tracepoint/syscalls/sys_exit_link")
int tp_exit_link(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 0, 2, 0, SW_FILE_LINK);
}

SEC("tracepoint/syscalls/sys_exit_linkat")
int tp_exit_linkat(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 3, 4, 0, SW_FILE_LINK);
}

SEC("tracepoint/syscalls/sys_exit_symlink")
int tp_exit_symlink(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 0, 2, 0, SW_FILE_LINK);
}

SEC("tracepoint/syscalls/sys_exit_symlinkat")
int tp_exit_symlinkat(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 2, 3, 0, SW_FILE_LINK);
}

SEC("tracepoint/syscalls/sys_exit_chmod")
int tp_exit_chmod(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 0, 1, 2, SW_FILE_CHMOD);
}

SEC("tracepoint/syscalls/sys_exit_fchmodat")
int tp_exit_fchmodat(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 1, 2, 3, SW_FILE_CHMOD);
}

SEC("tracepoint/syscalls/sys_exit_fchmodat2")
int tp_exit_fchmodat2(struct trace_event_raw_sys_exit *ctx)
{
	return named_exit(ctx->ret, 1, 2, 3, SW_FILE_CHMOD);
}

SEC("tracepoint/syscalls/sys_exit_fchmod")
int tp_exit_fchmod(struct trace_event_raw_sys_exit *ctx)
{
	struct sw_file_record *rec;
	struct sw_lineage *li;
	struct pt_regs *regs;
	struct file *file;
	__u32 mode;

	if (ctx->ret != 0)
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	regs = syscall_regs();
	mode = PT_REGS_PARM2_CORE_SYSCALL(regs);
	if (!(mode & S_IXUGO))
		return 0;
	file = fd_file(bpf_get_current_task_btf(), (int)PT_REGS_PARM1_CORE_SYSCALL(regs));
	rec = file_record();
	if (!file || !rec)
		return 0;
	rec->truncated = 0;
	rec->path_len = read_file_path(&file->f_path, rec->path, &rec->truncated);
	return send_file(rec, li, SW_FILE_CHMOD, mode, SW_FILE_HOOK_SYSCALL_TP);
}

/* ---------------------------------------------------------------------- */
/* Connect and UDP through the cgroup socket-address hooks                 */
/* ---------------------------------------------------------------------- */

/* UDP: the first datagram per process and destination, lineage only. */
static __always_inline void emit_udp(const struct connect_addrs *a, __u32 hook)
{
	struct task_struct *task;
	struct sw_connect_record *e;
	struct sw_lineage *li = current_lineage();
	struct sw_udp_key key = {};
	__u8 one = 1;

	if (!li)
		return;
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.family = a->family;
	key.dport = a->dport;
	__builtin_memcpy(key.daddr, a->daddr, sizeof(key.daddr));
	if (bpf_map_update_elem(&udp_seen, &key, &one, BPF_NOEXIST)) {
		vis_count(SW_VIS_UDP_REPEATS);
		return;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		vis_count(SW_VIS_DROP_UDP_RINGBUF_FULL);
		return;
	}
	task = bpf_get_current_task_btf();
	e->hdr.type = SW_RECORD_CONNECT;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&e->proc, task, li, SW_MATCH_LINEAGE);
	e->family = a->family;
	e->protocol = IPPROTO_UDP;
	e->sport = 0;
	e->dport = a->dport;
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, a->daddr, sizeof(e->daddr));
	e->hook = hook;
	e->_pad0 = 0;
	bpf_ringbuf_submit(e, 0);
	vis_count(SW_VIS_UDP_SENT);
}

/* One body for the four hooks; always returns 1: observe, never refuse. */
static __always_inline int sock_addr(struct bpf_sock_addr *ctx, __u32 hook, bool v6)
{
	struct connect_addrs a = {};
	__u32 protocol = ctx->protocol;

	a.family = v6 ? AF_INET6 : AF_INET;
	a.dport = bpf_ntohs((__u16)ctx->user_port);
	if (v6) {
		__u32 ip6[4];

		ip6[0] = ctx->user_ip6[0];
		ip6[1] = ctx->user_ip6[1];
		ip6[2] = ctx->user_ip6[2];
		ip6[3] = ctx->user_ip6[3];
		__builtin_memcpy(a.daddr, ip6, 16);
	} else {
		__u32 ip4 = ctx->user_ip4;

		__builtin_memcpy(a.daddr, &ip4, 4);
	}
	if (protocol == IPPROTO_TCP) {
		if (cgroup_connect_tcp)
			emit_connect(&a, hook);
	}
	else if (protocol == IPPROTO_UDP)
		emit_udp(&a, hook);
	return 1;
}

SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *ctx)
{
	return sock_addr(ctx, SW_HOOK_CGROUP_CONNECT4, false);
}

SEC("cgroup/connect6")
int cg_connect6(struct bpf_sock_addr *ctx)
{
	return sock_addr(ctx, SW_HOOK_CGROUP_CONNECT6, true);
}

SEC("cgroup/sendmsg4")
int cg_sendmsg4(struct bpf_sock_addr *ctx)
{
	return sock_addr(ctx, SW_HOOK_CGROUP_SENDMSG4, false);
}

SEC("cgroup/sendmsg6")
int cg_sendmsg6(struct bpf_sock_addr *ctx)
{
	return sock_addr(ctx, SW_HOOK_CGROUP_SENDMSG6, true);
}

/* ---------------------------------------------------------------------- */
/* DNS queries: the payload of datagrams to port 53, at the send syscalls   */
/* ---------------------------------------------------------------------- */

/* fd must be a UDP socket; addr (may be NULL) is the sendto/msg_name
 * destination, else the connected peer. li: the sender's lineage entry,
 * looked up by the tracepoint before it reads any user memory. */
static __always_inline int dns_send(const struct sw_lineage *li, long fd, const void *addr, const void *buf,
				    __u64 len)
{
	struct task_struct *task;
	struct sw_dns_record *e;
	struct socket *sock;
	struct sock *sk;
	struct file *file;
	__u16 family, dport;
	__u8 daddr[16] = {};
	__u32 copy;

	task = bpf_get_current_task_btf();
	file = fd_file(task, fd);
	if (!file)
		return 0;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock || BPF_CORE_READ(sock, type) != SOCK_DGRAM)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (addr) {
		struct sockaddr_in6 sa = {};

		if (bpf_probe_read_user(&sa, sizeof(sa), addr) && bpf_probe_read_user(&sa, 16, addr))
			return 0;
		family = sa.sin6_family;
		dport = bpf_ntohs(sa.sin6_port);
		if (family == AF_INET)
			__builtin_memcpy(daddr, &((struct sockaddr_in *)&sa)->sin_addr, 4);
		else
			__builtin_memcpy(daddr, &sa.sin6_addr, 16);
	} else {
		family = BPF_CORE_READ(sk, __sk_common.skc_family);
		dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		/* Explicit sizes: BPF_CORE_READ_INTO on an array reads sizeof(*dst), one byte. */
		if (family == AF_INET)
			bpf_core_read(daddr, 4, &sk->__sk_common.skc_daddr);
		else
			bpf_core_read(daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	if (dport != DNS_PORT || (family != AF_INET && family != AF_INET6))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		vis_count(SW_VIS_DROP_DNS_RINGBUF_FULL);
		return 0;
	}
	e->hdr.type = SW_RECORD_DNS;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&e->proc, task, li, SW_MATCH_LINEAGE);
	e->family = family;
	e->dport = dport;
	e->_pad0 = 0;
	e->_pad1 = 0;
	e->total_len = len;
	__builtin_memcpy(e->daddr, daddr, 16);
	copy = len > SW_DNS_PAYLOAD_LEN ? SW_DNS_PAYLOAD_LEN : len;
	asm volatile("" : "+r"(copy));
	copy &= SW_DNS_PAYLOAD_LEN * 2 - 1;
	if (copy > SW_DNS_PAYLOAD_LEN)
		copy = SW_DNS_PAYLOAD_LEN;
	if (copy && bpf_probe_read_user(e->payload, copy, buf))
		copy = 0;
	e->payload_len = copy;
	bpf_ringbuf_submit(e, 0);
	vis_count(SW_VIS_DNS_SENT);
	return 0;
}

/* First iovec of a user msghdr: what a resolver puts the query in. */
static __always_inline int dns_msghdr(const struct sw_lineage *li, long fd, struct user_msghdr *msg)
{
	struct user_msghdr m = {};
	struct iovec iov = {};

	if (bpf_probe_read_user(&m, sizeof(m), msg) || !m.msg_iov || !m.msg_iovlen)
		return 0;
	if (bpf_probe_read_user(&iov, sizeof(iov), m.msg_iov))
		return 0;
	return dns_send(li, fd, m.msg_name, iov.iov_base, iov.iov_len);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int tp_enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	struct sw_lineage *li = current_lineage();

	if (!li)
		return 0;
	return dns_send(li, ctx->args[0], (const void *)ctx->args[4], (const void *)ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int tp_enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	struct sw_lineage *li = current_lineage();

	if (!li)
		return 0;
	return dns_msghdr(li, ctx->args[0], (struct user_msghdr *)ctx->args[1]);
}

/* sendmmsg: glibc sends the A and AAAA queries together; both are read. */
SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int tp_enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	struct mmsghdr *msgs = (struct mmsghdr *)ctx->args[1];
	__u32 vlen = ctx->args[2];
	struct sw_lineage *li;

	if (vlen == 0)
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	dns_msghdr(li, ctx->args[0], &msgs[0].msg_hdr);
	if (vlen > 1)
		dns_msghdr(li, ctx->args[0], &msgs[1].msg_hdr);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Privilege: set*uid() and capset() of lineage members                    */
/* ---------------------------------------------------------------------- */

static __always_inline int priv_enter(__u32 how)
{
	struct task_struct *task;
	struct priv_before before = {};
	__u32 tid;

	if (!current_lineage())
		return 0;
	task = bpf_get_current_task_btf();
	tid = bpf_get_current_pid_tgid();
	before.euid = BPF_CORE_READ(task, cred, euid.val);
	before.cap_effective = BPF_CORE_READ(task, cred, cap_effective.val);
	before.how = how;
	if (bpf_map_update_elem(&priv_pending, &tid, &before, BPF_ANY))
		vis_count(SW_VIS_DROP_PRIV_PENDING_FULL);
	return 0;
}

static __always_inline int priv_exit(long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid;
	struct priv_before *before;
	struct priv_before b;
	struct task_struct *task;
	struct sw_privilege_record *e;
	struct sw_lineage *li;
	__u32 euid;
	__u64 caps;

	/* Only lineage threads have a pending entry; their bit stays set while
	 * they live, so a clear one saves the hash lookup. */
	if (!maybe_set(&lineage_bits, pid_tgid >> 32))
		return 0;
	before = bpf_map_lookup_elem(&priv_pending, &tid);
	if (!before)
		return 0;
	b = *before;
	bpf_map_delete_elem(&priv_pending, &tid);
	if (ret != 0)
		return 0;
	task = bpf_get_current_task_btf();
	euid = BPF_CORE_READ(task, cred, euid.val);
	caps = BPF_CORE_READ(task, cred, cap_effective.val);
	/* Root gained, or effective capabilities that were not there before. */
	if (!((euid == 0 && b.euid != 0) || (caps & ~b.cap_effective)))
		return 0;
	li = current_lineage();
	if (!li)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		vis_count(SW_VIS_DROP_PRIV_RINGBUF_FULL);
		return 0;
	}
	e->hdr.type = SW_RECORD_PRIVILEGE;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = bpf_ktime_get_boot_ns();
	fill_process(&e->proc, task, li, SW_MATCH_LINEAGE);
	e->how = b.how;
	e->old_euid = b.euid;
	e->old_cap_effective = b.cap_effective;
	e->new_cap_effective = caps;
	bpf_ringbuf_submit(e, 0);
	vis_count(SW_VIS_PRIV_SENT);
	return 0;
}

/* Each call's pair of tracepoints; tp_enter_<call> and tp_exit_<call> are the
 * names VisibilityHooks.PRIVILEGE_CALLS attaches. */
#define SW_PRIVILEGE_HOOKS(call, how)                                     \
	SEC("tracepoint/syscalls/sys_enter_" #call)                       \
	int tp_enter_##call(void *ctx)                                    \
	{                                                                 \
		return priv_enter(how);                                   \
	}                                                                 \
	SEC("tracepoint/syscalls/sys_exit_" #call)                        \
	int tp_exit_##call(struct trace_event_raw_sys_exit *ctx)          \
	{                                                                 \
		return priv_exit(ctx->ret);                               \
	}

SW_PRIVILEGE_HOOKS(setuid, SW_PRIV_SETUID)
SW_PRIVILEGE_HOOKS(setreuid, SW_PRIV_SETREUID)
SW_PRIVILEGE_HOOKS(setresuid, SW_PRIV_SETRESUID)
SW_PRIVILEGE_HOOKS(capset, SW_PRIV_CAPSET)

/* ---------------------------------------------------------------------- */
/* TCP listen at listen(2)'s exit                                          */
/* ---------------------------------------------------------------------- */

/*
 * The listen chain's hook where there are no trampolines: it runs once per
 * listen() call. inet_sock_set_state, the last resort, runs on every TCP
 * state change of the host (six times per loopback connection, ~80 ns each
 * by the kernel's statistics: benchmarks/VISIBILITY.md) only to find the
 * rare LISTEN among them. listen() succeeds on sockets only, so the fd is
 * one; a second listen() on a listening socket (a new backlog) is reported
 * again, where the state change happened once.
 */
SEC("tracepoint/syscalls/sys_exit_listen")
int tp_exit_listen(struct trace_event_raw_sys_exit *ctx)
{
	struct file *file;
	struct socket *sock;
	struct sock *sk;

	if (ctx->ret != 0)
		return 0;
	file = fd_file(bpf_get_current_task_btf(), (int)PT_REGS_PARM1_CORE_SYSCALL(syscall_regs()));
	if (!file)
		return 0;
	sock = BPF_CORE_READ(file, private_data);
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != SW_IPPROTO_TCP)
		return 0;
	return emit_listen(sk, SW_HOOK_TP_SYS_EXIT_LISTEN);
}
