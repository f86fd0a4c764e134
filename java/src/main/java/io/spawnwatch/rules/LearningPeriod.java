package io.spawnwatch.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The learning period of rarity and new-terms rules: for {@code period} after
 * the baseline store was first created, those rules record what they see
 * (their baselines fill) but raise no alert, so that a fresh install does not
 * report every legitimate CGI script or PHP {@code mail()} call as new. The
 * start is kept beside the store ({@code <state_path>.learning-since}, one
 * ISO-8601 instant, mode 0600), so a restart does not start learning again;
 * without a store it is the engine's start. Compared with event time.
 *
 * @param start when learning began
 * @param period how long it lasts; zero: no learning
 */
public record LearningPeriod(Instant start, Duration period) {
    /** The file beside a baseline store that holds the start. */
    public static Path startFile(Path statePath) {
        return statePath.resolveSibling(statePath.getFileName() + ".learning-since");
    }

    /**
     * The learning period of a store: its recorded start, or {@code now},
     * recorded when the store has none yet.
     *
     * @param statePath the baseline store, or null (memory only)
     * @throws DetectionException.StateStore when the start file cannot be read or written
     */
    public static LearningPeriod open(Path statePath, Duration period, Instant now) {
        if (statePath == null) {
            return new LearningPeriod(now, period);
        }
        Path file = startFile(statePath);
        try {
            if (Files.exists(file)) {
                return new LearningPeriod(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip()),
                        period);
            }
            io.spawnwatch.files.PrivateFiles.createDirectories(file.toAbsolutePath().getParent(), -1); // 0700
            try {
                Files.writeString(Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        now + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                return open(statePath, period, now);
            }
            return new LearningPeriod(now, period);
        } catch (IOException e) {
            throw new DetectionException.StateStore("learning period: " + file + ": " + e.getMessage(), e);
        } catch (DateTimeParseException e) {
            throw new DetectionException.StateStore("learning period: " + file
                    + ": expected one ISO-8601 instant such as 2026-11-30T12:00:00Z, found '" + e.getParsedString()
                    + "'", e);
        }
    }

    /** When learning ends (equal to the start when there is none). */
    public Instant end() {
        return start.plus(period);
    }

    /** The end in epoch nanoseconds, for comparing with event time. */
    public long endNanos() {
        Instant e = end();
        return Math.multiplyExact(e.getEpochSecond(), 1_000_000_000L) + e.getNano();
    }

    /** Whether an event at {@code eventNanos} (epoch ns) falls inside the period. */
    public boolean learning(long eventNanos) {
        return !period.isZero() && eventNanos < endNanos();
    }
}
