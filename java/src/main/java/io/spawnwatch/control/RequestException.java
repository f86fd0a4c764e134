package io.spawnwatch.control;

import java.util.List;

/** A request the server answers with an error without involving the sensor. */
final class RequestException extends Exception {
    private final ErrorCode code;

    RequestException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }

    List<String> details() {
        return List.of();
    }
}
