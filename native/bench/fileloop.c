// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The open/close loop of the file-hook benchmark (benchmarks/scripts/
 * visibility_cost.sh), timed from inside:
 *
 *   fileloop COUNT PATH
 *       open(PATH, O_WRONLY|O_CREAT|O_TRUNC, 0600) and close, COUNT times;
 *       PATH is removed at the end.
 *
 * A write-open of a file in /tmp is what the file hooks look at closest: from
 * a process outside the web lineage it costs one lineage look-up; from a
 * lineage member every open is a file event sent to user space.
 *
 * Prints one JSON line: count, elapsed ns, ns per operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fileloop COUNT PATH\n");
		return 2;
	}
	long count = atol(argv[1]);
	const char *path = argv[2];
	uint64_t start = now();

	for (long i = 0; i < count; i++) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0) {
			fprintf(stderr, "fileloop: open %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	}
	uint64_t elapsed = now() - start;

	unlink(path);
	printf("{\"count\": %ld, \"elapsed_ns\": %llu, \"ns_per_op\": %.1f}\n", count,
	       (unsigned long long)elapsed, (double)elapsed / count);
	return 0;
}
