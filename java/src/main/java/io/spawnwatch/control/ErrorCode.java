package io.spawnwatch.control;

/**
 * The codes an error response carries in {@code error.code}. Each names one
 * kind of failure, so that a script can react to it without parsing messages.
 * The wire form is {@link #wire()}, e.g. {@code line_too_long}.
 */
public enum ErrorCode {
    /** The request line was longer than the limit; it was discarded up to its newline. */
    LINE_TOO_LONG,
    /** The line is not JSON (or has trailing garbage or duplicate keys). */
    MALFORMED_JSON,
    /** JSON, but not a request: not an object, or v/cmd/args missing or of the wrong type. */
    INVALID_REQUEST,
    /** {@code v} is a protocol version this sensor does not speak. */
    UNSUPPORTED_VERSION,
    /** {@code cmd} names no command. */
    UNKNOWN_COMMAND,
    /** An argument is missing, unknown, of the wrong type or out of range. */
    INVALID_ARGUMENT,
    /** The peer's uid/gid may not use the socket; the connection is closed. */
    FORBIDDEN,
    /** Too many connections or streams; try again later. */
    BUSY,
    /** The peer sent no complete request for the idle timeout and follows no stream; the connection is closed. */
    IDLE_TIMEOUT,
    /** The sensor has no such rule, web server, user or exception. */
    NOT_FOUND,
    /** The sensor refused the change (e.g. a rule file with errors); details lists every reason. */
    REJECTED,
    /** The sensor failed while carrying out the command (e.g. a kernel map update failed). */
    SENSOR_ERROR;

    /** The code as it appears on the wire. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
