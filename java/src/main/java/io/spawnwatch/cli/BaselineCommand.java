package io.spawnwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.daemon.RuleEngines;
import io.spawnwatch.ecs.EcsDocumentEvent;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.rules.RuleEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spawnwatch baseline seed FILE...}: offline, against the configured baseline store. */
@Command(name = "baseline", header = "Manage the rarity and new-terms baselines.",
        subcommands = {BaselineCommand.Seed.class})
final class BaselineCommand {
    /** Lines whose errors are printed; the rest are only counted. */
    static final int MAX_PRINTED_ERRORS = 10;

    @Command(name = "seed", header = "Seed baselines from a recorded event file (run --events --output FILE).",
            description = {"Reads ECS documents this sensor wrote, one per line, and records each event in the"
                    + " baselines of the rarity and new-terms rules it matches, raising no alert, so that a new"
                    + " install starts out knowing what its web servers usually do.",
                "Run it while the sensor is stopped (the sensor reads its baselines when it starts); events count"
                    + " at their own @timestamp, so record recent activity (new terms look back 7 days, rarity 61"
                    + " minutes). Alert documents in the file are skipped (each repeats an event)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:seeded (bad lines, if any, are printed and counted)",
                "1:a file or the baseline store could not be read or written, or no line was an event",
                "2:usage error, or no detection.state_path to seed"})
    static final class Seed implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The sensor's configuration (rules, detection.state_path); default: embedded.")
        Path config;

        @Option(names = "--state", paramLabel = "PATH", description = "The baseline store to seed instead of"
                + " detection.state_path.")
        Path state;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "NDJSON files of ECS event documents.")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SensorConfig sensorConfig;
            try {
                sensorConfig = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println("spawnwatch: " + p));
                return ExitCodes.USAGE;
            }
            if (state != null) {
                try {
                    sensorConfig = sensorConfig.withDetection(
                            sensorConfig.detection().withStatePath(state.toString()));
                } catch (IllegalArgumentException e) { // a relative path: "state_path: expected an absolute path..."
                    err.println("spawnwatch: --state: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
            }
            String statePath = sensorConfig.detection().statePath();
            if (statePath == null) {
                err.println("spawnwatch: detection.state_path is not set: seeded baselines would be lost;"
                        + " set it in the configuration or pass --state PATH");
                return ExitCodes.USAGE;
            }
            Counts counts = new Counts();
            try (RuleEngine engine = RuleEngines.open(sensorConfig)) {
                for (Path file : files) {
                    seed(engine, file, counts, err);
                }
                engine.flush();
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println("spawnwatch: " + p));
                return 1;
            } catch (IOException e) {
                err.println("spawnwatch: " + e.getMessage());
                return 1;
            } catch (RuntimeException e) { // DetectionException: the store could not be written
                err.println("spawnwatch: " + e.getMessage());
                return 1;
            }
            out.printf("seeded %s: %d events read, %d recorded in %d baseline updates, %d alerts skipped,"
                    + " %d bad lines%n", statePath, counts.events, counts.matched, counts.updates, counts.alerts,
                    counts.bad);
            if (counts.events == 0 && counts.bad > 0) {
                err.println("spawnwatch: no event could be read: nothing was seeded");
                return 1;
            }
            return 0;
        }

        private static void seed(RuleEngine engine, Path file, Counts counts, PrintWriter err) throws IOException {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        com.fasterxml.jackson.databind.JsonNode doc = json.readTree(line);
                        if ("alert".equals(doc.path("event").path("kind").asText())) {
                            counts.alerts++; // before any other check: an alert is skipped, whatever its shape
                            continue;
                        }
                        EcsDocumentEvent event = EcsDocumentEvent.of(doc);
                        counts.events++;
                        int updates = engine.seed(event);
                        counts.updates += updates;
                        counts.matched += updates > 0 ? 1 : 0;
                    } catch (JsonProcessingException e) {
                        counts.bad(err, file + ":" + n + ": not JSON: " + e.getOriginalMessage());
                    } catch (IllegalArgumentException e) {
                        counts.bad(err, file + ":" + n + ": " + e.getMessage());
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(file + ": no such file", e);
            }
        }
    }

    private static final class Counts {
        long events;
        long matched;
        long updates;
        long alerts;
        long bad;

        void bad(PrintWriter err, String message) {
            if (bad++ < MAX_PRINTED_ERRORS) {
                err.println(message);
            } else if (bad == MAX_PRINTED_ERRORS + 1) {
                err.println("... further bad lines are only counted");
            }
        }
    }
}
