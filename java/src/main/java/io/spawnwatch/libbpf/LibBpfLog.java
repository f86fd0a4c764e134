package io.spawnwatch.libbpf;

import io.spawnwatch.libbpf.jextract.LibBpf;
import io.spawnwatch.libbpf.jextract.libbpf_print_fn_t;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Routes libbpf's own messages (including the verifier log of a program that
 * fails to load) into System.Logger, and keeps the last lines so that an error
 * can quote them. libbpf calls back once per message, not per event, so an
 * upcall is fine here; it must never throw, since an exception escaping an
 * upcall ends the JVM.
 */
public final class LibBpfLog {
    private static final System.Logger LOG = System.getLogger("io.spawnwatch.libbpf");
    private static final int KEEP_LINES = 64;
    private static final Deque<String> RECENT = new ArrayDeque<>();
    private static boolean installed;

    private LibBpfLog() {}

    /** Installs the callback once per JVM; libbpf keeps the pointer for ever. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        MemorySegment fn = libbpf_print_fn_t.allocate(LibBpfLog::print, Arena.global());
        LibBpf.libbpf_set_print(fn);
        installed = true;
    }

    /** The last lines libbpf printed (warnings and worse), oldest first. */
    public static synchronized List<String> recent() {
        return new ArrayList<>(RECENT);
    }

    public static synchronized void clearRecent() {
        RECENT.clear();
    }

    private static int print(int level, MemorySegment format, MemorySegment args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            // Called once: vsnprintf consumes the va_list.
            LibBpf.vsnprintf(buf, buf.byteSize(), format, args);
            String text = buf.getString(0).stripTrailing();
            if (level == LibBpf.LIBBPF_DEBUG()) {
                LOG.log(System.Logger.Level.TRACE, text);
                return 0;
            }
            synchronized (LibBpfLog.class) {
                for (String line : text.split("\n")) {
                    if (RECENT.size() == KEEP_LINES) {
                        RECENT.removeFirst();
                    }
                    RECENT.addLast(line);
                }
            }
            LOG.log(level == LibBpf.LIBBPF_WARN() ? System.Logger.Level.DEBUG : System.Logger.Level.TRACE,
                    text);
        } catch (Throwable t) {
            // Nothing may escape an upcall.
        }
        return 0;
    }
}
