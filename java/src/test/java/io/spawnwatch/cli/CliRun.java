package io.spawnwatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * One run of the {@code spawnwatch} command line in this JVM, as a user would type it, with what it printed:
 * the one helper every CLI and end-to-end test uses.
 *
 * @param code the exit code ({@link ExitCodes})
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record CliRun(int code, String out, String err) {

    /** {@code spawnwatch ARGS}. */
    public static CliRun run(String... args) {
        return run(Main.commandLine(), args);
    }

    /** {@code ARGS} on a command line built by the test (e.g. with extra verbs). */
    public static CliRun run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** {@code spawnwatch ARGS --socket SOCKET}: a client verb against a running (or fake) sensor. */
    public static CliRun against(Path socket, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--socket";
        all[args.length + 1] = socket.toString();
        return run(all);
    }
}
