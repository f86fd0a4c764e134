package io.spawnwatch.kernel;

import java.util.List;

/**
 * Recognises an interpreter that serves the web from its command line
 * ("java ... org.apache.catalina.startup.Bootstrap start", "python3 -m
 * gunicorn app:app"): a fragment of the configured list anywhere in it.
 * Matching is on the raw bytes, case-sensitive, as the fragments are written.
 */
public final class ServerCommandLines {
    private final String[] fragments;

    public ServerCommandLines(List<String> fragments) {
        this.fragments = fragments.toArray(String[]::new);
    }

    /** The first fragment found in {@code commandLine}, or null. */
    public String find(CharSequence commandLine) {
        for (String f : fragments) {
            if (contains(commandLine, f)) {
                return f;
            }
        }
        return null;
    }

    private static boolean contains(CharSequence text, String fragment) {
        int n = text.length() - fragment.length();
        for (int i = 0; i <= n; i++) {
            int j = 0;
            while (j < fragment.length() && text.charAt(i + j) == fragment.charAt(j)) {
                j++;
            }
            if (j == fragment.length()) {
                return true;
            }
        }
        return false;
    }
}
