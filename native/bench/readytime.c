// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Start-up time (benchmark 5): runs a command, and measures the time from
 * fork to the first line on its stderr that contains PATTERN, and the CPU
 * time the command had used by then (utime + stime of /proc/PID/stat, all its
 * threads: on a machine shared with other work, the figure that the others'
 * load changes least); then keeps reading until the sensor's own figure, a
 * line with "N ms since the JVM started" (or 3 s), stops the command with
 * SIGTERM (SIGKILL after 10 s) and prints one JSON line.
 *
 *   readytime PATTERN COMMAND [ARGS...]
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* utime + stime of a process, in ms; -1 when it cannot be read. */
static double cpu_ms(pid_t pid)
{
	char path[64], stat[1024];
	unsigned long utime, stime;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = 0;
	char *p = strrchr(stat, ')'); /* the comm may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
		return -1;
	return (utime + stime) * 1000.0 / sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: readytime PATTERN COMMAND [ARGS...]\n");
		return 2;
	}
	const char *pattern = argv[1];
	int fds[2];

	if (pipe(fds))
		return 1;
	uint64_t t0 = now();
	pid_t pid = fork();

	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		freopen("/dev/null", "w", stdout);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	close(fds[1]);
	char buf[65536];
	size_t len = 0;
	double ready_ms = -1, ready_cpu_ms = -1;
	long started_ms = -1;
	uint64_t deadline = t0 + 60ull * 1000000000ull;

	while (started_ms < 0 && now() < deadline) {
		if (ready_ms >= 0 && now() > t0 + (uint64_t)(ready_ms * 1e6) + 3000000000ull)
			break;
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t n = read(fds[0], buf + len, sizeof(buf) - len - 1);
		uint64_t t = now();
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (ready_ms < 0 && strstr(line, pattern)) {
				ready_ms = (t - t0) / 1e6;
				ready_cpu_ms = cpu_ms(pid);
			}
			char *s = strstr(line, " ms since the JVM started");
			if (s) {
				while (s > line && s[-1] >= '0' && s[-1] <= '9')
					s--;
				started_ms = atol(s);
			}
			line = nl + 1;
		}
		len = buf + len - line;
		memmove(buf, line, len);
		if (len > sizeof(buf) / 2)
			len = 0;
	}
	kill(pid, SIGTERM);
	int status = 0;
	for (int i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto done;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
done:
	printf("{\"ready_ms\":%.1f,\"cpu_ms\":%.0f,\"jvm_ready_ms\":%ld}\n", ready_ms, ready_cpu_ms, started_ms);
	return ready_ms < 0;
}
