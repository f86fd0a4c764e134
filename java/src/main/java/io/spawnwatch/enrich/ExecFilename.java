package io.spawnwatch.enrich;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ExecRecordDescriptor;
import io.spawnwatch.event.SegmentText;

/**
 * The path execve() was given ({@link ExecRecord#filename}), made absolute
 * against the working directory the record carries. For a #! script it is
 * the script path (the interpreter is the executable); for any other program
 * it is the invoked path, kept only where it names the executable by another
 * path than the kernel's resolved one: a symlink (Debian's {@code /usr/bin/nc}
 * for {@code /usr/bin/nc.openbsd}, {@code /usr/bin/vim} for
 * {@code vim.basic}), a symlinked directory ({@code /bin/ls} on a merged-/usr
 * system), or a relative path. Bytes as the kernel sent them (UTF-8), with
 * {@code .}, {@code ..} and repeated slashes taken out as text (the working
 * directory is the kernel's, already resolved). That matters: Image
 * conditions also match this path, so a filter such as
 * {@code not Image|startswith: '/usr/sbin/'} must not be met by
 * {@code /usr/sbin/../../tmp/payload}, or by {@code ../../tmp/payload} run from
 * /usr/sbin.
 *
 * <p>Allocates nothing: the caller owns the output buffer, of
 * {@link #CAPACITY} bytes.
 */
final class ExecFilename {
    /** The longest result: a working directory, a slash and a filename, each at its field's capacity. */
    static final int CAPACITY = ExecRecordDescriptor.CWD_CAPACITY + 1 + ExecRecordDescriptor.PATH_CAPACITY;

    private final SegmentText view = new SegmentText();

    /**
     * Writes the record's filename, absolute, into {@code out} ({@link #CAPACITY} bytes at least) and returns
     * its length: 0 when the record has none (the kernel could not read it).
     */
    int absolute(ExecRecord r, byte[] out) {
        SegmentText name = r.filename(view);
        int len = name.length();
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (name.charAt(0) != '/') {
            n = r.cwd(view).copyTo(out);
            out[n++] = '/';
            name = r.filename(view);
        }
        for (int i = 0; i < len; i++) {
            out[n++] = (byte) name.charAt(i);
        }
        return normalize(out, n);
    }

    /**
     * Takes {@code .}, {@code ..} (never above the root) and empty components out of the absolute path in the
     * first {@code n} bytes of {@code path}, in place; returns the new length ("/" at least).
     */
    static int normalize(byte[] path, int n) {
        int w = 0; // written: path[0, w) is normalised, without a trailing slash
        int i = 0;
        while (i < n) {
            while (i < n && path[i] == '/') {
                i++;
            }
            int start = i;
            while (i < n && path[i] != '/') {
                i++;
            }
            int len = i - start;
            if (len == 0 || len == 1 && path[start] == '.') {
                continue;
            }
            if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
                while (w > 0 && path[w - 1] != '/') {
                    w--;
                }
                w = Math.max(0, w - 1); // and the slash before it
                continue;
            }
            path[w++] = '/';
            System.arraycopy(path, start, path, w, len);
            w += len;
        }
        if (w == 0) {
            path[w++] = '/';
        }
        return w;
    }

    /**
     * The invoked path of a program that is not a #! script, into {@code out}: its length, or 0 when it names
     * the executable by the very path the kernel resolved (nothing to add), for a script (its path is the
     * script path) and when unknown.
     */
    int invoked(ExecRecord r, byte[] out) {
        if (r.isScript()) {
            return 0;
        }
        int n = absolute(r, out);
        return n == 0 || sameBytes(r.exe(view), out, n) ? 0 : n;
    }

    private static boolean sameBytes(SegmentText text, byte[] bytes, int n) {
        if (text.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((byte) text.charAt(i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
