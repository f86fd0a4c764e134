package io.spawnwatch.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may use the control socket: root (uid 0) always, plus the uids and gids
 * the configuration names. A peer is allowed when its uid is listed, or its
 * primary gid or one of its supplementary groups is.
 *
 * <p>Names are resolved to numbers once, when the policy is built
 * ({@link #resolve}), never per connection: the accept path only compares
 * numbers the kernel gave.
 */
public record AccessPolicy(Set<Long> uids, Set<Long> gids) {
    public AccessPolicy {
        uids = Set.copyOf(uids);
        gids = Set.copyOf(gids);
    }

    /** Only root. */
    public static AccessPolicy rootOnly() {
        return new AccessPolicy(Set.of(), Set.of());
    }

    /** Root plus these numeric uids and gids. */
    public static AccessPolicy of(Collection<Long> uids, Collection<Long> gids) {
        return new AccessPolicy(Set.copyOf(uids), Set.copyOf(gids));
    }

    /**
     * Root plus the users and groups named in the configuration, each a number
     * or a name looked up in /etc/passwd and /etc/group.
     *
     * @throws IllegalArgumentException naming every entry that does not resolve
     */
    public static AccessPolicy resolve(Collection<String> users, Collection<String> groups) throws IOException {
        return resolve(users, groups, Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** As {@link #resolve(Collection, Collection)}, with the files given (for tests and containers). */
    public static AccessPolicy resolve(Collection<String> users, Collection<String> groups, Path passwd, Path group)
            throws IOException {
        List<String> errors = new ArrayList<>();
        Set<Long> uids = lookup(users, passwd, "user", errors);
        Set<Long> gids = lookup(groups, group, "group", errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new AccessPolicy(uids, gids);
    }

    /** Whether this peer may talk to the sensor. */
    public boolean allows(PeerCredentials peer) {
        if (peer.uid() == 0 || uids.contains(peer.uid()) || gids.contains(peer.gid())) {
            return true;
        }
        for (long g : peer.groups()) {
            if (gids.contains(g)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "uids=" + new TreeSet<>(uids) + " gids=" + new TreeSet<>(gids);
    }

    private static Set<Long> lookup(Collection<String> entries, Path file, String kind, List<String> errors)
            throws IOException {
        Set<Long> ids = new TreeSet<>();
        Map<String, Long> byName = null;
        for (String entry : entries) {
            String e = entry.strip();
            if (!e.isEmpty() && e.chars().allMatch(Character::isDigit)) {
                long id = Long.parseLong(e.length() > 10 ? "99999999999" : e);
                if (id > 0xFFFF_FFFEL) {
                    errors.add(kind + "=" + e + " is out of range: ids go from 0 to 4294967294");
                } else {
                    ids.add(id);
                }
                continue;
            }
            if (byName == null) {
                byName = readIds(file);
            }
            Long id = byName.get(e);
            if (id == null) {
                errors.add(kind + "=" + e + " is not in " + file + ": give a number or an existing name");
            } else {
                ids.add(id);
            }
        }
        return ids;
    }

    /** name -> id from a passwd- or group-format file (name:x:id:...); the first entry of a name wins, as getpwnam does. */
    private static Map<String, Long> readIds(Path file) throws IOException {
        Map<String, Long> ids = new HashMap<>();
        if (!Files.exists(file)) {
            return ids;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ids.putIfAbsent(f[0], Long.parseLong(f[2]));
            } catch (NumberFormatException e) {
                // A malformed line; getpwnam would skip it too.
            }
        }
        return ids;
    }
}
