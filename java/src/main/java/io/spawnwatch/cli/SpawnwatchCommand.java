package io.spawnwatch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Its verbs are added by {@link Main#commandLine}; usage
 * attributes (--help, --version, the exit code list) are inherited by every verb.
 */
@Command(name = "spawnwatch", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = SpawnwatchCommand.Version.class,
        header = "Catches web servers turned into shells: an eBPF sensor and its control client.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.LINE_OK, ExitCodes.LINE_SENSOR_ERROR, ExitCodes.LINE_USAGE,
                ExitCodes.LINE_UNREACHABLE})
public final class SpawnwatchCommand {
    /** Set on the root only, after the verbs are added, so that they do not inherit it. */
    static final String DESCRIPTION = "Client verbs talk to the running sensor over its Unix socket (--socket,"
            + " default /run/spawnwatch/spawnwatch.sock); --json prints raw JSON for scripts.";

    @Spec
    CommandSpec spec;

    /** The jar's Implementation-Version, or "dev" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SpawnwatchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"spawnwatch " + (v == null ? "dev" : v)};
        }
    }
}
