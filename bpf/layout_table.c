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

/* Visibility II records (issue 13): their own block, so that the lists above
 * merge cleanly with other changes. */
static void visibility2(void)
{
	SIZE(sw_file_record);
	FIELD(sw_file_record, proc);
	FIELD(sw_file_record, action);
	FIELD(sw_file_record, class);
	FIELD(sw_file_record, path_len);
	FIELD(sw_file_record, truncated);
	FIELD(sw_file_record, mode);
	FIELD(sw_file_record, hook);
	FIELD(sw_file_record, path);

	SIZE(sw_dns_record);
	FIELD(sw_dns_record, proc);
	FIELD(sw_dns_record, family);
	FIELD(sw_dns_record, dport);
	FIELD(sw_dns_record, payload_len);
	FIELD(sw_dns_record, total_len);
	FIELD(sw_dns_record, daddr);
	FIELD(sw_dns_record, payload);

	SIZE(sw_privilege_record);
	FIELD(sw_privilege_record, proc);
	FIELD(sw_privilege_record, how);
	FIELD(sw_privilege_record, old_euid);
	FIELD(sw_privilege_record, old_cap_effective);
	FIELD(sw_privilege_record, new_cap_effective);

	SIZE(sw_path_key);
	FIELD(sw_path_key, prefixlen);
	FIELD(sw_path_key, path);

	CONST(SW_RECORD_FILE);
	CONST(SW_RECORD_DNS);
	CONST(SW_RECORD_PRIVILEGE);
	CONST(SW_HOOK_CGROUP_CONNECT4);
	CONST(SW_HOOK_CGROUP_CONNECT6);
	CONST(SW_HOOK_CGROUP_SENDMSG4);
	CONST(SW_HOOK_CGROUP_SENDMSG6);
	CONST(SW_FILE_CREATE);
	CONST(SW_FILE_WRITE);
	CONST(SW_FILE_TRUNCATE);
	CONST(SW_FILE_RENAME);
	CONST(SW_FILE_LINK);
	CONST(SW_FILE_CHMOD);
	CONST(SW_FILE_CLASS_WRITABLE);
	CONST(SW_FILE_CLASS_PERSISTENCE);
	CONST(SW_FILE_CLASS_WEB_ROOT);
	CONST(SW_FILE_HOOK_FEXIT_DO_FILP_OPEN);
	CONST(SW_FILE_HOOK_SYSCALL_TP);
	CONST(SW_TRUNC_FILE_PATH);
	CONST(SW_PRIV_SETUID);
	CONST(SW_PRIV_SETREUID);
	CONST(SW_PRIV_SETRESUID);
	CONST(SW_PRIV_CAPSET);
	CONST(SW_VIS_FILE_LINEAGE);
	CONST(SW_VIS_FILE_SENT);
	CONST(SW_VIS_DROP_FILE_RINGBUF_FULL);
	CONST(SW_VIS_UDP_SENT);
	CONST(SW_VIS_UDP_REPEATS);
	CONST(SW_VIS_DROP_UDP_RINGBUF_FULL);
	CONST(SW_VIS_DNS_SENT);
	CONST(SW_VIS_DROP_DNS_RINGBUF_FULL);
	CONST(SW_VIS_PRIV_SENT);
	CONST(SW_VIS_DROP_PRIV_RINGBUF_FULL);
	CONST(SW_VIS_DROP_PRIV_PENDING_FULL);
	CONST(SW_VIS_MAX);
	CONST(SW_FILE_PREFIX_LEN);
	CONST(SW_FILE_NAME_LEN);
	CONST(SW_FILE_EXT_LEN);
	CONST(SW_DNS_PAYLOAD_LEN);
}

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
	FIELD(sw_exec_record, filename_len);
	FIELD(sw_exec_record, flags);
	FIELD(sw_exec_record, failed);
	FIELD(sw_exec_record, exe);
	FIELD(sw_exec_record, filename);
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

	SIZE(sw_fork_record);
	FIELD(sw_fork_record, proc);

	SIZE(sw_listen_record);
	FIELD(sw_listen_record, proc);
	FIELD(sw_listen_record, family);
	FIELD(sw_listen_record, protocol);
	FIELD(sw_listen_record, port);
	FIELD(sw_listen_record, addr);
	FIELD(sw_listen_record, hook);
	FIELD(sw_listen_record, backlog);

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
	CONST(SW_TRUNC_FILENAME);
	CONST(SW_EXEC_SCRIPT);
	CONST(SW_EXEC_PARENT_KNOWN);
	CONST(SW_TP_CONNECT);
	CONST(SW_TP_LISTEN);
	CONST(SW_HOOK_FENTRY_INET_CSK_LISTEN_START);
	CONST(SW_HOOK_FENTRY_TCP_CONNECT);
	CONST(SW_HOOK_KPROBE_TCP_CONNECT);
	CONST(SW_HOOK_TP_INET_SOCK_SET_STATE);
	CONST(SW_HOOK_TP_SYS_EXIT_LISTEN);
	CONST(SW_CNT_EXEC_SEEN);
	CONST(SW_CNT_EXEC_SENT);
	CONST(SW_CNT_CONNECT_SEEN);
	CONST(SW_CNT_CONNECT_SENT);
	CONST(SW_CNT_LINEAGE_ADDED);
	CONST(SW_CNT_LINEAGE_ADD_FAILED);
	CONST(SW_DROP_EXEC_RINGBUF_FULL);
	CONST(SW_DROP_CONNECT_RINGBUF_FULL);
	CONST(SW_CNT_FORK_SENT);
	CONST(SW_DROP_FORK_RINGBUF_FULL);
	CONST(SW_CNT_LISTEN_SEEN);
	CONST(SW_CNT_LISTEN_SENT);
	CONST(SW_DROP_LISTEN_RINGBUF_FULL);
	CONST(SW_CNT_READ_FAILED);
	CONST(SW_CNT_MAX);
	visibility2();
	return 0;
}
