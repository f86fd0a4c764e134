package io.spawnwatch.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code spawnwatch}: the launcher's entry point.
 *
 * <h2>Adding a verb</h2>
 * Verbs of the sensor process itself ({@code run}, {@code config check}) live
 * in their own packages and are registered in {@link #SENSOR_VERBS}, one
 * supplier per verb:
 *
 * <pre>{@code
 * private static final List<Supplier<Object>> SENSOR_VERBS = List.of(RunCommand::new, ConfigCommand::new);
 * }</pre>
 *
 * A verb is a {@code @Command}-annotated class with a one-line {@code header},
 * implementing {@code Callable<Integer>} (a verb with sub-verbs, such as
 * {@code config}, lists them in {@code subcommands = {CheckCommand.class}}).
 * It inherits --help, --version and the exit code list from the root; it
 * prints through {@code spec.commandLine().getOut()/getErr()} and returns an
 * exit code; it never calls System.exit. For a test or a tool that needs extra
 * verbs without editing this class: {@code Main.commandLine(new MyVerb())}.
 */
public final class Main {
    /** Verbs of the sensor process (run, config, baseline); listed before the client verbs. */
    private static final List<Supplier<Object>> SENSOR_VERBS = List.of(RunCommand::new, CheckCommands.Config::new,
            BaselineCommand::new);

    /** Verbs that talk to a running sensor over its socket. */
    private static final List<Supplier<Object>> CLIENT_VERBS = List.of(
            StatusCommand::new, StatsCommand::new, RulesCommand::new, WebServersCommand::new, UsersCommand::new,
            ExceptionsCommand::new, AlertsCommand::new, EventsCommand::new, IncidentsCommand::new,
            IncidentCommand::new, ShutdownCommand::new);

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The root command with every verb (sensor verbs, client verbs, then any
     * {@code extraVerbs}, then help), and the handler that turns a
     * {@link ClientException} into its one-line message and exit code.
     */
    public static CommandLine commandLine(Object... extraVerbs) {
        CommandLine cl = new CommandLine(new SpawnwatchCommand());
        SENSOR_VERBS.forEach(v -> cl.addSubcommand(v.get()));
        CLIENT_VERBS.forEach(v -> cl.addSubcommand(v.get()));
        for (Object verb : extraVerbs) {
            cl.addSubcommand(verb);
        }
        cl.addSubcommand(new HelpCommand());
        cl.getCommandSpec().usageMessage().description(SpawnwatchCommand.DESCRIPTION);
        // A usage error: one line that says what is wrong, one that says where to look. Exit 2.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("spawnwatch: " + ex.getMessage());
            UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ClientException ce) {
                commandLine.getErr().println("spawnwatch: " + ce.getMessage());
                ce.details().forEach(d -> commandLine.getErr().println("  " + d));
                commandLine.getErr().flush();
                return ce.exitCode();
            }
            throw ex;
        });
        return cl;
    }
}
