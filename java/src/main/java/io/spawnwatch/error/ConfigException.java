package io.spawnwatch.error;

import java.util.List;

/**
 * A configuration file or value is wrong; each problem is one line that names the file, the line (where
 * known), the key and what was expected: {@code /etc/sw.yml:3: kernel.ring_buffer_bytes: expected a whole
 * number, got 'lots'}. A file with several problems carries them all ({@link #problems()}), so that one
 * {@code spawnwatch config check} shows every one.
 */
public final class ConfigException extends SpawnwatchException {
    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /**
     * Several problems at once; the message is the first one and how many more there are.
     *
     * @param problems one line each, at least one
     */
    public ConfigException(List<String> problems) {
        super(problems.getFirst() + (problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more)"));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each, in file order where the file gives one; never empty. */
    public List<String> problems() {
        return problems;
    }
}
