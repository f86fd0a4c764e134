// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Start-up breakdown (benchmark 5): how long libbpf takes, in C, to open and
 * load the sensor's object the way KernelProbes does here: first with
 * fentry_tcp_connect (which fails to load where BPF trampolines are missing),
 * then again without it. Prints one JSON line with both times in ms.
 *
 *   bpfload build/bpf/spawnwatch.bpf.o
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* with_fentry: only fentry among the connect programs; else kprobe + tracepoint. */
static double open_load(const char *path, int with_fentry, int *err)
{
	double t0 = now_ms();
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;

	if (!obj) {
		*err = -1;
		return 0;
	}
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		int is_fentry = strcmp(name, "fentry_tcp_connect") == 0;
		int is_connect = is_fentry || strcmp(name, "kprobe_tcp_connect") == 0 ||
				 strcmp(name, "tp_inet_sock_set_state") == 0;

		if (is_connect)
			bpf_program__set_autoload(prog, with_fentry ? is_fentry : !is_fentry);
	}
	*err = bpf_object__load(obj);
	bpf_object__close(obj);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	int err_fentry, err_plain;

	if (argc != 2) {
		fprintf(stderr, "usage: bpfload OBJECT\n");
		return 2;
	}
	libbpf_set_print(quiet);
	double fentry = open_load(argv[1], 1, &err_fentry);
	double plain = open_load(argv[1], 0, &err_plain);

	printf("{\"fentry_attempt_ms\":%.1f,\"fentry_err\":%d,\"load_ms\":%.1f,\"load_err\":%d}\n", fentry,
	       err_fentry, plain, err_plain);
	return err_plain != 0;
}
