package io.spawnwatch.cli;

/** The CLI's exit codes, as every verb's --help lists them. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The sensor answered with an error (not found, rejected, forbidden, ...). */
    public static final int SENSOR_ERROR = 1;
    /** The command line is wrong (unknown option, bad value, missing argument). */
    public static final int USAGE = 2;
    /** The sensor could not be reached over its socket, or the connection was lost. */
    public static final int UNREACHABLE = 3;

    static final String HEADING = "%nExit codes:%n";
    static final String LINE_OK = "0:ok";
    static final String LINE_SENSOR_ERROR = "1:the sensor answered with an error";
    static final String LINE_USAGE = "2:usage error (wrong option or argument)";
    static final String LINE_UNREACHABLE = "3:sensor not reachable over its socket";

    private ExitCodes() {}
}
