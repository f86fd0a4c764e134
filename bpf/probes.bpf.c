// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Feature probes for the hook points that have fallbacks (connect, listen).
 *
 * One empty program per candidate of bpf/spawnwatch.bpf.c, with the same
 * section. The loader loads and attaches each alone, in order, the way
 * libbpf-tools' fentry_can_attach() does (trace_helpers.c): the first that
 * loads AND attaches wins, and the main object is then loaded once with the
 * losers switched off (bpf_program__set_autoload(false)). A program that loads
 * but cannot attach (fentry without trampolines on some kernels) thus never
 * costs the real object its fallbacks. Name each probe "probe_" + the main
 * program's name.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("fentry/tcp_connect")
int probe_fentry_tcp_connect(void *ctx)
{
	return 0;
}

SEC("cgroup/connect4")
int probe_cg_connect4(void *ctx)
{
	return 1; /* allow: a probe never refuses a connect */
}

SEC("kprobe/tcp_connect")
int probe_kprobe_tcp_connect(void *ctx)
{
	return 0;
}

SEC("tracepoint/sock/inet_sock_set_state")
int probe_tp_inet_sock_set_state(void *ctx)
{
	return 0;
}

SEC("fentry/inet_csk_listen_start")
int probe_fentry_inet_csk_listen_start(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_listen")
int probe_tp_exit_listen(void *ctx)
{
	return 0;
}

SEC("fexit/do_filp_open")
int probe_fexit_do_filp_open(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int probe_tp_exit_openat(void *ctx)
{
	return 0;
}
