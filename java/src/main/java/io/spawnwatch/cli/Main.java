package io.spawnwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The spawnwatch command line; the control verbs join this root command. */
@Command(name = "spawnwatch", mixinStandardHelpOptions = true, version = "spawnwatch 0.1.0",
        header = "eBPF sensor for web servers turned into shells.",
        subcommands = {HelpCommand.class, RunCommand.class})
public final class Main {
    private Main() {}

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
