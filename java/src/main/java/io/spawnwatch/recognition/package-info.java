/**
 * Who is a web server: the user-space half of lineage-root recognition.
 *
 * <p>The kernel makes a process a root by itself when it execs a program with a
 * configured web-server name (not a #! script carrying that name) or runs as a
 * web-server uid. Everything else is decided here, from what the kernel sends
 * up as a candidate: a process that starts listening on TCP becomes a root
 * when its name is one of the configured runtimes and not one of the
 * never-roots ({@link ServerRecognizer#onListen}); an interpreter serving a
 * socket it inherited becomes one when its own arguments name a server
 * ({@link ServerRecognizer#onInterpreterExec}, {@link OwnArguments}); servers
 * already listening when the sensor starts are found from /proc/net/tcp and
 * tcp6 ({@link ListeningSockets}). {@link Roots} keeps the roots in force and
 * why each is one, for {@code status} and {@code webservers list}.
 */
package io.spawnwatch.recognition;
