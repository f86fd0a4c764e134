// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The host workloads of benchmarks 3 and 4: a fork+exec loop and a loopback
 * TCP connect loop, timed from inside (no process start-up in the figure).
 *
 *   workload exec COUNT [--rate N] [--exe PATH]
 *       fork, execve PATH (default /bin/true), waitpid; COUNT times.
 *   workload connect COUNT [--rate N] [--times FILE]
 *       socket, connect to a listener on 127.0.0.1, accept, close both
 *       (the client with SO_LINGER 0, so no TIME_WAIT piles up); COUNT times.
 *
 * --rate paces the loop at N operations per second (absolute deadlines on
 * CLOCK_MONOTONIC); without it the loop runs flat out. --times writes, for
 * each connect, the CLOCK_BOOTTIME just before connect(2): the latency
 * benchmark joins it with the event's kernel timestamp.
 *
 * Prints one JSON line: count, elapsed ns, ns per operation, achieved rate.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void pace(uint64_t start, long i, double rate)
{
	if (rate <= 0)
		return;
	uint64_t deadline = start + (uint64_t)(i * (1e9 / rate));
	struct timespec ts = { .tv_sec = deadline / 1000000000ull, .tv_nsec = deadline % 1000000000ull };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void exec_once(const char *exe)
{
	char *argv[] = { (char *)exe, NULL };
	char *envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execve(exe, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "workload: %s failed: status=%d\n", exe, status);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: workload exec|connect COUNT [--rate N] [--exe PATH] [--times FILE]\n");
		return 2;
	}
	int connect_mode = strcmp(argv[1], "connect") == 0;
	long count = atol(argv[2]);
	double rate = 0;
	const char *exe = "/bin/true";
	const char *times_path = NULL;

	for (int i = 3; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--rate") == 0)
			rate = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--exe") == 0)
			exe = argv[i + 1];
		else if (strcmp(argv[i], "--times") == 0)
			times_path = argv[i + 1];
	}
	uint64_t *times = times_path ? calloc(count, sizeof(uint64_t)) : NULL;
	int listener = -1;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t addr_len = sizeof(addr);

	if (connect_mode) {
		listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) ||
		    listen(listener, 1024) || getsockname(listener, (struct sockaddr *)&addr, &addr_len))
			die("listen on 127.0.0.1");
	}
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	uint64_t start = now(CLOCK_MONOTONIC);

	for (long i = 0; i < count; i++) {
		pace(start, i, rate);
		if (!connect_mode) {
			exec_once(exe);
			continue;
		}
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			die("socket");
		if (times)
			times[i] = now(CLOCK_BOOTTIME);
		if (connect(s, (struct sockaddr *)&addr, sizeof(addr)))
			die("connect to the loopback listener");
		int a = accept(listener, NULL, NULL);
		if (a < 0)
			die("accept");
		setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(s);
		close(a);
	}
	uint64_t elapsed = now(CLOCK_MONOTONIC) - start;

	if (times) {
		FILE *f = fopen(times_path, "w");
		if (!f)
			die(times_path);
		for (long i = 0; i < count; i++)
			fprintf(f, "%llu\n", (unsigned long long)times[i]);
		fclose(f);
	}
	printf("{\"mode\":\"%s\",\"pid\":%d,\"count\":%ld,\"elapsed_ns\":%llu,\"ns_per_op\":%.1f,\"ops_per_s\":%.1f}\n",
	       argv[1], (int)getpid(), count, (unsigned long long)elapsed, (double)elapsed / count, count * 1e9 / elapsed);
	return 0;
}
