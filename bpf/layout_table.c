// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Prints the size and every field offset of the records in spawnwatch.h as
 * "record.field offset size" lines. RecordLayoutTest reads this table and
 * checks that the Java descriptors agree, field for field.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "spawnwatch.h"

#define FIELD(type, field) \
	printf("%s.%s %zu %zu\n", #type, #field, offsetof(struct type, field), \
	       sizeof(((struct type *)0)->field))
#define SIZE(type) printf("%s.sizeof 0 %zu\n", #type, sizeof(struct type))
/* Constants print as "const.NAME value 0". */
#define CONST(name) printf("const.%s %ld 0\n", #name, (long)(name))

int main(void)
{
	SIZE(sw_record_header);
	FIELD(sw_record_header, type);
	FIELD(sw_record_header, version);
	FIELD(sw_record_header, size);
	FIELD(sw_record_header, boot_ns);

	SIZE(sw_process);
	FIELD(sw_process, pid);
	FIELD(sw_process, tid);
	FIELD(sw_process, ppid);
	FIELD(sw_process, uid);
	FIELD(sw_process, gid);
	FIELD(sw_process, euid);
	FIELD(sw_process, egid);
	FIELD(sw_process, sid);
	FIELD(sw_process, pgid);
	FIELD(sw_process, tty);
	FIELD(sw_process, lineage_root);
	FIELD(sw_process, lineage_depth);
	FIELD(sw_process, cgroup_id);
	FIELD(sw_process, start_boot_ns);
	FIELD(sw_process, parent_start_boot_ns);
	FIELD(sw_process, root_start_boot_ns);
	FIELD(sw_process, match);
	FIELD(sw_process, comm);
	FIELD(sw_process, parent_comm);

	SIZE(sw_exec_record);
	FIELD(sw_exec_record, proc);
	FIELD(sw_exec_record, argc);
	FIELD(sw_exec_record, exe_len);
	FIELD(sw_exec_record, args_len);
	FIELD(sw_exec_record, cwd_len);
	FIELD(sw_exec_record, parent_exe_len);
	FIELD(sw_exec_record, parent_cwd_len);
	FIELD(sw_exec_record, truncated);
	FIELD(sw_exec_record, exe);
	FIELD(sw_exec_record, parent_exe);
	FIELD(sw_exec_record, cwd);
	FIELD(sw_exec_record, parent_cwd);
	FIELD(sw_exec_record, args);

	SIZE(sw_connect_record);
	FIELD(sw_connect_record, proc);
	FIELD(sw_connect_record, family);
	FIELD(sw_connect_record, protocol);
	FIELD(sw_connect_record, sport);
	FIELD(sw_connect_record, dport);
	FIELD(sw_connect_record, saddr);
	FIELD(sw_connect_record, daddr);
	FIELD(sw_connect_record, hook);

	SIZE(sw_comm_key);
	FIELD(sw_comm_key, prefixlen);
	FIELD(sw_comm_key, comm);
	SIZE(sw_lineage);
	FIELD(sw_lineage, root_pid);
	FIELD(sw_lineage, depth);
	FIELD(sw_lineage, root_start_boot_ns);

	CONST(SW_RECORD_VERSION);
	CONST(SW_RECORD_EXEC);
	CONST(SW_RECORD_CONNECT);
	CONST(SW_RECORD_FORK);
	CONST(SW_RECORD_LISTEN);
	CONST(SW_MATCH_WEB_COMM);
	CONST(SW_MATCH_WEB_PARENT);
	CONST(SW_MATCH_WEB_USER);
	CONST(SW_MATCH_LINEAGE);
	CONST(SW_MATCH_CANDIDATE);
	CONST(SW_TRUNC_EXE);
	CONST(SW_TRUNC_PARENT_EXE);
	CONST(SW_TRUNC_CWD);
	CONST(SW_TRUNC_PARENT_CWD);
	CONST(SW_TRUNC_ARGS);
	CONST(SW_HOOK_FENTRY_TCP_CONNECT);
	CONST(SW_HOOK_KPROBE_TCP_CONNECT);
	CONST(SW_HOOK_TP_INET_SOCK_SET_STATE);
	CONST(SW_CNT_EXEC_SEEN);
	CONST(SW_CNT_EXEC_SENT);
	CONST(SW_CNT_CONNECT_SEEN);
	CONST(SW_CNT_CONNECT_SENT);
	CONST(SW_CNT_LINEAGE_ADDED);
	CONST(SW_CNT_LINEAGE_ADD_FAILED);
	CONST(SW_DROP_EXEC_RINGBUF_FULL);
	CONST(SW_DROP_CONNECT_RINGBUF_FULL);
	CONST(SW_CNT_MAX);
	return 0;
}
