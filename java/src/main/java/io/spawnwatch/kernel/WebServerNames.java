package io.spawnwatch.kernel;

import java.util.List;
import java.util.Locale;

/**
 * A web-server name as the kernel filter holds it: an exact comm ("nginx") or
 * a prefix written with a trailing '*' ("php-fpm*"). comm is at most 15 bytes,
 * so longer names could never match and are refused.
 */
public final class WebServerNames {
    public static final int COMM_MAX = 15;

    private WebServerNames() {}

    /** Checks one configured name; returns null when fine, else what is wrong. */
    public static String validate(String name) {
        if (name == null || name.isEmpty() || name.equals("*")) {
            return "expected a process name (comm), optionally ending in * for a prefix";
        }
        String bare = bare(name);
        if (bare.indexOf('*') >= 0 || bare.indexOf('/') >= 0 || bare.indexOf('\0') >= 0) {
            return "'" + name + "': only a trailing * is allowed, and no '/'";
        }
        if (bare.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > COMM_MAX) {
            return "'" + name + "' is longer than " + COMM_MAX
                    + " bytes, the kernel's comm limit: give the first 15 bytes followed by *";
        }
        return null;
    }

    public static boolean isPrefix(String name) {
        return name.endsWith("*");
    }

    public static String bare(String name) {
        return isPrefix(name) ? name.substring(0, name.length() - 1) : name;
    }

    /** Java twin of the kernel's LPM lookup, for seeding the lineage from /proc. */
    public static boolean matches(List<String> names, String comm) {
        for (String n : names) {
            String b = bare(n);
            if (isPrefix(n) ? comm.startsWith(b) : comm.equals(b)) {
                return true;
            }
        }
        return false;
    }

}
