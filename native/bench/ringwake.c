// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Latency floor of benchmark 4, without the JVM: how long this machine takes
 * from a record committed in the kernel to a native libbpf consumer, asleep
 * in epoll (ring_buffer__poll), having it in hand. A producer thread commits
 * one exec-sized record RATE times a second (ringfill.bpf.o through
 * BPF_PROG_TEST_RUN, in its own syscall context, like a tracepoint firing in
 * a process); the consumer compares the record's bpf_ktime_get_boot_ns() with
 * CLOCK_BOOTTIME when its callback runs.
 *
 *   ringwake OBJECT RATE SECONDS   -> one JSON line with percentiles in µs
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "spawnwatch.h"

static double *lat;
static long n_lat, max_lat;
static int prog_fd;
static double rate;
static long total;
static volatile int done;

static uint64_t now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int on_record(void *ctx, void *data, size_t size)
{
	const struct sw_record_header *h = data;

	if (n_lat < max_lat)
		lat[n_lat++] = (now(CLOCK_BOOTTIME) - h->boot_ns) / 1000.0;
	return 0;
}

static void *produce(void *arg)
{
	__u64 args[2] = { 1, SW_RECORD_EXEC };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
	uint64_t start = now(CLOCK_MONOTONIC);

	for (long i = 0; i < total; i++) {
		uint64_t d = start + (uint64_t)(i * 1e9 / rate);
		struct timespec ts = { .tv_sec = d / 1000000000ull, .tv_nsec = d % 1000000000ull };

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		bpf_prog_test_run_opts(prog_fd, &opts);
	}
	done = 1;
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ringwake OBJECT RATE SECONDS\n");
		return 2;
	}
	rate = atof(argv[2]);
	total = (long)(rate * atof(argv[3]));
	max_lat = total;
	lat = calloc(total, sizeof(double));
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "ringwake: cannot load %s\n", argv[1]);
		return 1;
	}
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "fill_ring"));
	struct ring_buffer *rb =
		ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "ring")), on_record, NULL, NULL);
	pthread_t t;

	pthread_create(&t, NULL, produce, NULL);
	while (!done || n_lat < total) {
		if (ring_buffer__poll(rb, 100) < 0)
			break;
		if (done && ring_buffer__consume(rb) == 0)
			break;
	}
	pthread_join(t, NULL);
	long skip = n_lat / 10; /* the first 10%: warm-up */
	double *v = lat + skip;
	long n = n_lat - skip;

	qsort(v, n, sizeof(double), cmp);
	printf("{\"rate\":%.0f,\"count\":%ld,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
	       "\"max_us\":%.1f}\n",
	       rate, n, v[n / 2], v[(long)(n * 0.9)], v[(long)(n * 0.99)], v[(long)(n * 0.999)], v[n - 1]);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
