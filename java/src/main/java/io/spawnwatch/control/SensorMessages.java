package io.spawnwatch.control;

/**
 * The messages a sensor answers requests with, in one place so that the running sensor
 * ({@code daemon.DaemonControl}) and the tests' fake say the same words, and a test of the protocol or the CLI
 * asserts what a user of the real sensor reads. Each says what to do where there is something to do.
 */
public final class SensorMessages {
    /** The {@code what} of a rules reload that was refused. */
    public static final String RULES_NOT_RELOADED = "rules not reloaded";
    /** The {@code what} of an exception change that was refused. */
    public static final String EXCEPTION_NOT_APPLIED = "exception not applied";

    private SensorMessages() {}

    public static String noRule(String id) {
        return "no rule with id " + id + "; `spawnwatch rules list` shows the loaded rules";
    }

    public static String noWebServerName(String name) {
        return "no web-server name " + name + " in the kernel filter";
    }

    public static String uidNotFollowed(long uid) {
        return "uid " + uid + " is not in the kernel filter";
    }

    public static String noSuchUser(String name) {
        return "no user named " + name + " in /etc/passwd";
    }

    public static String noException(String id) {
        return "no exception with id " + id + "; `spawnwatch exceptions list` shows them";
    }

    public static String noIncident(long id) {
        return "no incident with id " + id + "; `spawnwatch incidents` lists them";
    }

    /** A reload or exception change refused for {@code errors} errors (listed in the error's details). */
    public static String refused(String what, int errors) {
        return what + ": " + errors + " error(s); the running rules are unchanged";
    }
}
