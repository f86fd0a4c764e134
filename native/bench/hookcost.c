// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hook cost by the kernel's own BPF statistics (benchmarks/run.sh, "hook
 * cost"): loads a spawnwatch BPF object (this tree's, or one built from
 * another commit: the programs and maps it uses have kept their names),
 * attaches every program that loads here (fentry and kprobe programs are
 * left out: they do not load on these machines), drains its ring buffer on
 * a thread, and runs one workload loop with BPF_STATS_RUN_TIME enabled.
 * Prints one JSON line: the loop's time per operation with no BPF object
 * loaded (measured first), with the object, and each program's run count
 * and run time over the loop.
 *
 *   hookcost OBJECT WORKLOAD exec|connect COUNT [WEBNAME]
 *
 * With WEBNAME the loop runs as a web server: WEBNAME goes into the
 * web_comms map and the workload is run through a symlink of that name, so
 * its comm is WEBNAME and every process it forks is in the lineage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_PROGS 32

static volatile int stop;
static long long ringbuf_records;

static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level <= LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int count_record(void *ctx, void *data, size_t size)
{
	ringbuf_records++;
	return 0;
}

static void *drain(void *arg)
{
	struct ring_buffer *rb = arg;

	while (!stop)
		ring_buffer__poll(rb, 50);
	ring_buffer__consume(rb);
	return NULL;
}

/* Runs the workload (argv[0] may be a symlink) and returns its ns_per_op. */
static double run_workload(char *const argv[], long *ops)
{
	int pipefd[2];
	char out[512] = { 0 };
	int status;

	if (pipe(pipefd))
		return -1;
	pid_t pid = fork();

	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	ssize_t n = read(pipefd[0], out, sizeof(out) - 1);

	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "hookcost: workload failed: %s\n", out);
		exit(1);
	}
	char *p = strstr(out, "\"ns_per_op\":");
	char *c = strstr(out, "\"count\":");

	*ops = c ? atol(c + 8) : 0;
	return p ? atof(p + 12) : -1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *links[MAX_PROGS];
	int nlinks = 0, nprogs = 0;
	int fds[MAX_PROGS];
	const char *names[MAX_PROGS];
	struct bpf_prog_info before[MAX_PROGS], after[MAX_PROGS];
	char link_dir[] = "/tmp/hookcost-XXXXXX";
	char link_path[PATH_MAX];
	long ops_none, ops;

	if (argc < 5) {
		fprintf(stderr, "usage: hookcost OBJECT WORKLOAD exec|connect COUNT [WEBNAME]\n");
		return 2;
	}
	const char *webname = argc > 5 ? argv[5] : NULL;
	char *run_argv[] = { argv[2], argv[3], argv[4], NULL };

	if (webname) {
		if (!mkdtemp(link_dir))
			return 1;
		chmod(link_dir, 0755);
		snprintf(link_path, sizeof(link_path), "%s/%s", link_dir, webname);
		if (symlink(argv[2], link_path))
			return 1;
		run_argv[0] = link_path;
	}

	/* The loop alone first: the denominator of every share. */
	double ns_none = run_workload(run_argv, &ops_none);

	libbpf_set_print(print_warnings);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "hookcost: cannot open %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);

		if (!strncmp(name, "fentry_", 7) || !strncmp(name, "kprobe_", 7))
			bpf_program__set_autoload(prog, false);
	}
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata.config");
	__u32 self = getpid();

	if (rodata)
		bpf_map__set_initial_value(rodata, &self, sizeof(self));
	if (bpf_object__load(obj)) {
		fprintf(stderr, "hookcost: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog) || nprogs == MAX_PROGS)
			continue;
		links[nlinks] = bpf_program__attach(prog);
		if (!links[nlinks]) {
			fprintf(stderr, "hookcost: cannot attach %s\n", bpf_program__name(prog));
			return 1;
		}
		nlinks++;
		names[nprogs] = bpf_program__name(prog);
		fds[nprogs++] = bpf_program__fd(prog);
	}
	if (webname) {
		struct {
			__u32 prefixlen;
			char comm[16];
		} key = { 0 };
		__u8 one = 1;

		strncpy(key.comm, webname, 15);
		key.prefixlen = (strlen(key.comm) + 1) * 8;
		bpf_map__update_elem(bpf_object__find_map_by_name(obj, "web_comms"), &key, sizeof(key), &one,
				     sizeof(one), BPF_ANY);
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "events")),
						  count_record, NULL, NULL);
	pthread_t drainer;

	if (!rb || pthread_create(&drainer, NULL, drain, rb))
		return 1;
	int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (stats_fd < 0) {
		fprintf(stderr, "hookcost: bpf_enable_stats: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < nprogs; i++) {
		__u32 len = sizeof(before[i]);

		memset(&before[i], 0, len);
		bpf_obj_get_info_by_fd(fds[i], &before[i], &len);
	}
	double ns = run_workload(run_argv, &ops);

	for (int i = 0; i < nprogs; i++) {
		__u32 len = sizeof(after[i]);

		memset(&after[i], 0, len);
		bpf_obj_get_info_by_fd(fds[i], &after[i], &len);
	}
	close(stats_fd);
	stop = 1;
	pthread_join(drainer, NULL);

	double total = 0;

	printf("{\"object\":\"%s\",\"loop\":\"%s\",\"web\":%s,\"ops\":%ld,\"ns_per_op_no_bpf\":%.1f,"
	       "\"ns_per_op\":%.1f,\"records\":%lld,\"programs\":{",
	       argv[1], argv[3], webname ? "true" : "false", ops, ns_none, ns, ringbuf_records);
	for (int i = 0; i < nprogs; i++) {
		unsigned long long cnt = after[i].run_cnt - before[i].run_cnt;
		unsigned long long t = after[i].run_time_ns - before[i].run_time_ns;

		total += t;
		printf("%s\"%s\":{\"run_cnt\":%llu,\"run_time_ns\":%llu}", i ? "," : "", names[i], cnt, t);
	}
	printf("},\"bpf_ns_per_op\":%.1f,\"share_of_loop\":%.5f}\n", ops ? total / ops : 0,
	       ops && ns_none > 0 ? total / ops / ns_none : 0);

	ring_buffer__free(rb);
	for (int i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	if (webname) {
		unlink(link_path);
		rmdir(link_dir);
	}
	return 0;
}
