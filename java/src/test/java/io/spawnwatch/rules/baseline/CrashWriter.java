package io.spawnwatch.rules.baseline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link BaselineStoreCrashTest}: writes batches of
 * rows as fast as it can and prints "committed N" after each commit, until it
 * is killed with SIGKILL.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        try (BaselineStore store = BaselineStore.open(Path.of(args[0]))) {
            for (long batch = 1; ; batch++) {
                List<BaselineStore.Row> rows = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    rows.add(new BaselineStore.Row(batch, i, batch, new long[] {batch, i}));
                }
                store.write(List.of(new BaselineStore.Batch("crash", rows, List.of(), Long.MIN_VALUE)));
                System.out.println("committed " + batch);
                System.out.flush();
            }
        }
    }
}
