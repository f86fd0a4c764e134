// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Ring-drain baseline (benchmark 1c): libbpf's own consumer in C.
 *
 * Fills a ring buffer from the kernel with ringfill.bpf.o (BPF_PROG_TEST_RUN,
 * bpf_loop), then drains it with ring_buffer__consume() and a C callback that
 * reads the same fields as the Java decoder in RingDrainBenchmark (see
 * decode_exec/decode_connect). One fill + one timed drain per iteration,
 * exactly like the JMH benchmark (SingleShotTime, refill at Level.Iteration).
 *
 * Prints one JSON object: per-iteration ns/record, median and spread.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "spawnwatch.h"

struct sink {
	uint64_t acc;
	uint64_t records;
};

static inline size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The fields the evaluator reads, as ExecRecord/ConnectRecord expose them. */
static int decode_exec(struct sink *s, const struct sw_exec_record *e)
{
	size_t exe_len = min_sz(e->exe_len, SW_PATH_LEN);
	size_t args_len = min_sz(e->args_len, SW_ARGS_LEN);

	while (args_len > 0 && e->args[args_len - 1] == 0) /* commandLine(): trailing NULs */
		args_len--;
	s->acc += e->proc.pid + e->proc.ppid + e->proc.uid + e->proc.lineage_root + e->proc.lineage_depth;
	s->acc += strnlen(e->proc.comm, SW_COMM_LEN) + strnlen(e->proc.parent_comm, SW_COMM_LEN);
	s->acc += exe_len + (exe_len ? (unsigned char)e->exe[exe_len - 1] : 0);
	s->acc += min_sz(e->cwd_len, SW_CWD_LEN) + args_len + e->argc;
	return 0;
}

static int decode_connect(struct sink *s, const struct sw_connect_record *c)
{
	unsigned char addr[16];
	size_t len = c->family == 2 ? 4 : 16;

	memcpy(addr, c->daddr, len);
	s->acc += c->proc.pid + c->proc.uid + strnlen(c->proc.comm, SW_COMM_LEN);
	s->acc += c->dport + addr[0] + len;
	return 0;
}

static int on_record_decode(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;
	const struct sw_record_header *h = data;

	(void)size;
	s->records++;
	if (h->version != SW_RECORD_VERSION)
		return 0;
	if (h->type == SW_RECORD_EXEC)
		return decode_exec(s, data);
	if (h->type == SW_RECORD_CONNECT)
		return decode_connect(s, data);
	return 0;
}

/* Raw-read baseline: the first word of each record, nothing else. */
static int on_record_raw(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;

	(void)size;
	s->records++;
	s->acc += *(const uint32_t *)data;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *sorted, int n, double p)
{
	double idx = p * (n - 1);
	int lo = (int)idx;
	int hi = lo + 1 < n ? lo + 1 : lo;

	return sorted[lo] + (sorted[hi] - sorted[lo]) * (idx - lo);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void usage(void)
{
	fprintf(stderr, "usage: ring_drain OBJECT exec|connect decode|raw RECORDS RING_MIB WARMUP ITERATIONS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc != 8)
		usage();
	const char *path = argv[1];
	int type = strcmp(argv[2], "connect") == 0 ? SW_RECORD_CONNECT : SW_RECORD_EXEC;
	int raw = strcmp(argv[3], "raw") == 0;
	long records = atol(argv[4]);
	long ring_mib = atol(argv[5]);
	int warmup = atoi(argv[6]);
	int iterations = atoi(argv[7]);
	struct sink sink = { 0 };
	double *ns = calloc(iterations, sizeof(double));
	int err;

	if (records <= 0 || ring_mib <= 0 || iterations <= 0 || !ns)
		usage();
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "ring_drain: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ring");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "fill_ring");
	if (!map || !prog) {
		fprintf(stderr, "ring_drain: %s has no map 'ring' or program 'fill_ring'\n", path);
		return 1;
	}
	bpf_map__set_max_entries(map, ring_mib << 20);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "ring_drain: load %s: %s\n", path, strerror(-err));
		return 1;
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(map), raw ? on_record_raw : on_record_decode,
						  &sink, NULL);
	if (!rb) {
		fprintf(stderr, "ring_drain: ring_buffer__new: %s\n", strerror(errno));
		return 1;
	}
	__u64 args[2] = { (__u64)records, (__u64)type };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));

	for (int i = -warmup; i < iterations; i++) {
		opts.retval = 0;
		err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
		if (err || opts.retval) {
			fprintf(stderr, "ring_drain: fill: err=%d failed_reserves=%u (ring too small?)\n", err,
				opts.retval);
			return 1;
		}
		uint64_t before = sink.records;
		uint64_t t0 = now_ns();
		int n = ring_buffer__consume(rb);
		uint64_t t1 = now_ns();
		if (n != records || sink.records - before != (uint64_t)records) {
			fprintf(stderr, "ring_drain: consumed %d records, expected %ld\n", n, records);
			return 1;
		}
		if (i >= 0)
			ns[i] = (double)(t1 - t0) / records;
	}
	printf("{\"samples\":[");
	for (int i = 0; i < iterations; i++)
		printf("%s%.3f", i ? "," : "", ns[i]);
	printf("],");
	qsort(ns, iterations, sizeof(double), cmp_double);
	double med = pct(ns, iterations, 0.5);
	printf("\"impl\":\"c-libbpf\",\"mode\":\"%s\",\"record\":\"%s\",\"records\":%ld,\"iterations\":%d,"
	       "\"ns_per_record_median\":%.3f,\"ns_per_record_p10\":%.3f,\"ns_per_record_p90\":%.3f,"
	       "\"ns_per_record_min\":%.3f,\"ns_per_record_max\":%.3f,\"records_per_s_median\":%.0f,"
	       "\"sink\":%llu}\n",
	       raw ? "raw" : "decode", argv[2], records, iterations, med, pct(ns, iterations, 0.1),
	       pct(ns, iterations, 0.9), ns[0], ns[iterations - 1], 1e9 / med, (unsigned long long)sink.acc);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	free(ns);
	return 0;
}
