// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reads the sensor's NDJSON output (its stdout, through a pipe) and notes,
 * for every line, when it was read: benchmark 4's kernel-to-output latency.
 *
 *   spawnwatch run --events | linestamp OUT.tsv
 *
 * Each read(2) is stamped with CLOCK_REALTIME and CLOCK_BOOTTIME right after
 * it returns; every line completed by that read gets those stamps. For each
 * line OUT.tsv gets: kind (exec/connect/other), pid, parent pid, the event's @timestamp
 * (ns since the epoch: the sensor's kernel boot time converted to wall time),
 * read time (realtime ns), read time (boottime ns). The first lines, starting
 * with '#', hold this reader's own realtime-boottime offset, measured at start
 * and at end as the closest of many back-to-back clock pairs.
 * On EOF, prints the line count to stderr.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* realtime - boottime, from the pair (boot, real, boot) with the smallest gap. */
static int64_t clock_offset(uint64_t *gap_out)
{
	uint64_t best_gap = UINT64_MAX;
	int64_t best = 0;

	for (int i = 0; i < 1000; i++) {
		uint64_t b0 = now(CLOCK_BOOTTIME);
		uint64_t r = now(CLOCK_REALTIME);
		uint64_t b1 = now(CLOCK_BOOTTIME);

		if (b1 - b0 < best_gap) {
			best_gap = b1 - b0;
			best = (int64_t)r - (int64_t)((b0 + b1) / 2);
		}
	}
	*gap_out = best_gap;
	return best;
}

/* "@timestamp":"2026-11-27T22:17:08.735814489Z" -> ns since the epoch, 0 if absent. */
static uint64_t parse_timestamp(const char *line)
{
	const char *p = strstr(line, "\"@timestamp\":\"");
	struct tm tm = { 0 };
	uint64_t frac = 0;
	int digits = 0;

	if (!p)
		return 0;
	p += strlen("\"@timestamp\":\"");
	if (sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	p = strchr(p, '.');
	if (p && p - line < 64) {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			frac = frac * 10 + (*p - '0');
		for (; digits < 9; digits++)
			frac *= 10;
	}
	return (uint64_t)timegm(&tm) * 1000000000ull + frac;
}

static void emit(FILE *out, const char *line, uint64_t real, uint64_t boot)
{
	const char *kind = strstr(line, "\"action\":\"exec\"") ? "exec"
			   : strstr(line, "\"action\":\"connection_attempted\"") ? "connect"
										 : "other";
	const char *pid = strstr(line, "\"process\":{\"pid\":");
	const char *ppid = strstr(line, "\"parent\":{\"pid\":");
	long p = pid ? atol(pid + strlen("\"process\":{\"pid\":")) : 0;
	long pp = ppid ? atol(ppid + strlen("\"parent\":{\"pid\":")) : 0;

	fprintf(out, "%s\t%ld\t%ld\t%llu\t%llu\t%llu\n", kind, p, pp, (unsigned long long)parse_timestamp(line),
		(unsigned long long)real, (unsigned long long)boot);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: linestamp OUT.tsv < ndjson\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	uint64_t gap;
	int64_t off = clock_offset(&gap);

	fprintf(out, "# offset_start_ns %lld gap_ns %llu\n", (long long)off, (unsigned long long)gap);
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	long lines = 0;

	for (;;) {
		if (cap - len < 65536) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		ssize_t n = read(0, buf + len, cap - len - 1);
		uint64_t real = now(CLOCK_REALTIME);
		uint64_t boot = now(CLOCK_BOOTTIME);

		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', buf + len - start))) {
			*nl = 0;
			emit(out, start, real, boot);
			lines++;
			start = nl + 1;
		}
		len = buf + len - start;
		memmove(buf, start, len);
	}
	off = clock_offset(&gap);
	fprintf(out, "# offset_end_ns %lld gap_ns %llu\n", (long long)off, (unsigned long long)gap);
	fclose(out);
	fprintf(stderr, "linestamp: %ld lines\n", lines);
	return 0;
}
