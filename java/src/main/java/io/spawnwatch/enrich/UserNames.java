package io.spawnwatch.enrich;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * uid to user name from the host's /etc/passwd (read again when it changes).
 * Names are kept as events give text to the rules: UTF-8 bytes, one per char
 * ({@link io.spawnwatch.event.Utf8Chars}); the ECS writer decodes them.
 * Bounded: the map holds what /etc/passwd holds, plus at most MAX_UNKNOWN
 * numeric names for uids it lacks.
 */
public final class UserNames {
    private static final int MAX_UNKNOWN = 1024;
    private final Path passwd;
    private Map<Long, String> names = Map.of();
    private final Map<Long, String> unknown = new HashMap<>();
    private long loadedModified = -1;

    public UserNames(Path passwd) {
        this.passwd = passwd;
        reloadIfChanged();
    }

    /** The user's name, or the uid in decimal when /etc/passwd has none. */
    public synchronized String name(long uid) {
        String name = names.get(uid);
        if (name != null) {
            return name;
        }
        String numeric = unknown.get(uid);
        if (numeric == null) {
            if (unknown.size() >= MAX_UNKNOWN) {
                unknown.clear();
            }
            numeric = Long.toString(uid);
            unknown.put(uid, numeric);
        }
        return numeric;
    }

    /** The uid of a user name (as a person writes it, e.g. in the configuration), or -1. */
    public synchronized long uid(String name) {
        String bytes = io.spawnwatch.event.Utf8Chars.of(name);
        for (Map.Entry<Long, String> e : names.entrySet()) {
            if (e.getValue().equals(bytes)) {
                return e.getKey();
            }
        }
        return -1;
    }

    public synchronized void reloadIfChanged() {
        try {
            long modified = Files.getLastModifiedTime(passwd).toMillis();
            if (modified == loadedModified) {
                return;
            }
            Map<Long, String> fresh = new HashMap<>();
            for (String line : Files.readAllLines(passwd, StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3) {
                    try {
                        fresh.putIfAbsent(Long.parseLong(f[2]), f[0]);
                    } catch (NumberFormatException e) {
                        // a malformed line names nobody
                    }
                }
            }
            names = fresh;
            loadedModified = modified;
            unknown.clear();
        } catch (IOException e) {
            // No passwd (a minimal container): numeric names only.
        }
    }
}
