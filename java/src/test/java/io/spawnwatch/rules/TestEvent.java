package io.spawnwatch.rules;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.CidrSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link EventView} over a map, for tests. Reading it allocates nothing
 * (values are stored in the form the view returns), so it can stand in for
 * the flyweight in the allocation test.
 */
public final class TestEvent implements EventView {
    private final EventType type;
    private long timestampNanos;
    private final Map<Field, String> text = new EnumMap<>(Field.class);
    private final Map<Field, Long> numbers = new EnumMap<>(Field.class);
    private final Map<Field, byte[]> addresses = new EnumMap<>(Field.class);
    private final Map<Field, List<String>> lists = new EnumMap<>(Field.class);

    private TestEvent(EventType type) {
        this.type = type;
    }

    public static TestEvent exec() {
        return new TestEvent(EventType.EXEC);
    }

    /** A listen event: a network_connection the process did not initiate. */
    public static TestEvent listen() {
        return new TestEvent(EventType.LISTEN).set(Field.INITIATED, "false").set(Field.PROTOCOL, "tcp");
    }

    public static TestEvent connect() {
        return new TestEvent(EventType.CONNECT).set(Field.INITIATED, "true").set(Field.PROTOCOL, "tcp");
    }

    public static TestEvent file() {
        return new TestEvent(EventType.FILE);
    }

    public static TestEvent privilege() {
        return new TestEvent(EventType.PRIVILEGE);
    }

    /**
     * A write by a php-fpm worker (lineage depth 1, www-data) as the kernel
     * reports it: the path, the action and the class it was watched for.
     */
    public static TestEvent phpFpmWrite(String path, String action, String pathClass) {
        return file().set(Field.PROCESS_NAME, "php-fpm8.2").set(Field.IMAGE, "/usr/sbin/php-fpm8.2")
                .set(Field.USER, "www-data").set(Field.USER_ID, 33).set(Field.EFFECTIVE_USER_ID, 33)
                .set(Field.LINEAGE_DEPTH, 1).set(Field.LINEAGE_ROOT_NAME, "php-fpm8.2")
                .set(Field.TARGET_FILENAME, path).set(Field.FILE_ACTION, action).set(Field.FILE_CLASS, pathClass);
    }

    /**
     * A php-fpm worker's child as the sensor reports it on Debian 12: user
     * www-data, parent php-fpm8.2, working directory the script's, lineage
     * root the php-fpm worker at depth 1.
     */
    public static TestEvent phpFpmChild(String image, String comm, String commandLine) {
        return exec().set(Field.IMAGE, image).set(Field.PROCESS_NAME, comm).argv(argvOf(commandLine))
                .set(Field.CURRENT_DIRECTORY, "/var/www/html").set(Field.USER, "www-data").set(Field.USER_ID, 33)
                .set(Field.REAL_USER, "www-data").set(Field.REAL_USER_ID, 33)
                .set(Field.PARENT_IMAGE, "/usr/sbin/php-fpm8.2").set(Field.PARENT_NAME, "php-fpm8.2")
                .set(Field.PARENT_COMMAND_LINE, "php-fpm: pool www").parentArgv("php-fpm: pool www")
                .set(Field.PARENT_CURRENT_DIRECTORY, "/var/www/html")
                .set(Field.PROCESS_ID, 4242).set(Field.PARENT_PROCESS_ID, 4000)
                .set(Field.LINEAGE_ROOT_NAME, "php-fpm8.2").set(Field.LINEAGE_ROOT_IMAGE, "/usr/sbin/php-fpm8.2")
                .set(Field.LINEAGE_ROOT_PID, 4000).set(Field.LINEAGE_DEPTH, 1)
                .set(Field.LINEAGE_CHAIN, "php-fpm8.2 > " + comm);
    }

    /** A grandchild: the web shell's sh -c runs this. */
    public static TestEvent phpFpmGrandchild(String image, String comm, String commandLine) {
        return phpFpmChild(image, comm, commandLine).set(Field.PARENT_IMAGE, "/usr/bin/dash")
                .set(Field.PARENT_NAME, "sh").parentArgv("sh", "-c", commandLine)
                .set(Field.LINEAGE_DEPTH, 2).set(Field.LINEAGE_CHAIN, "php-fpm8.2 > sh > " + comm);
    }

    /**
     * The argv a shell's command line came from, as the kernel reports it: a
     * shell flag ({@code -c}, {@code -c --}, {@code -lc}...) keeps the whole
     * script as one argument; anything else splits on spaces.
     */
    public static String[] argvOf(String commandLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\S+) (-c|-cl|-lc)( --)? (.*)$")
                .matcher(commandLine);
        if (m.matches()) {
            return m.group(3) == null ? new String[] {m.group(1), m.group(2), m.group(4)}
                    : new String[] {m.group(1), m.group(2), "--", m.group(4)};
        }
        return commandLine.split(" ");
    }

    /** Sets process.args and the command line (the args space-joined, as the sensor makes it). */
    public TestEvent argv(String... args) {
        lists.put(Field.ARGS, utf8(args));
        text.put(Field.ARGS, io.spawnwatch.event.Utf8Chars.of(String.join(" ", args)));
        text.put(Field.COMMAND_LINE, io.spawnwatch.event.Utf8Chars.of(String.join(" ", args)));
        return this;
    }

    /** Each argument as a real event exposes it (UTF-8 bytes, one per char). */
    private static List<String> utf8(String... args) {
        return java.util.Arrays.stream(args).map(io.spawnwatch.event.Utf8Chars::of).toList();
    }

    /** Sets process.parent.args and the parent's command line. */
    public TestEvent parentArgv(String... args) {
        lists.put(Field.PARENT_ARGS, utf8(args));
        text.put(Field.PARENT_ARGS, io.spawnwatch.event.Utf8Chars.of(String.join(" ", args)));
        text.put(Field.PARENT_COMMAND_LINE, io.spawnwatch.event.Utf8Chars.of(String.join(" ", args)));
        return this;
    }

    public TestEvent set(Field field, String value) {
        if (field == Field.COMMAND_LINE) {
            return argv(argvOf(value));
        }
        if (field == Field.PARENT_COMMAND_LINE) {
            return parentArgv(value.split(" "));
        }
        switch (field.kind()) {
            case LIST -> throw new IllegalArgumentException(field + " is a list: use argv/parentArgv");
            case TEXT -> text.put(field, io.spawnwatch.event.Utf8Chars.of(value)); // as a real event exposes it
            case NUMBER -> {
                numbers.put(field, Long.parseLong(value));
                text.put(field, value);
            }
            case ADDRESS -> {
                byte[] bytes = CidrSet.parseLiteral(value);
                if (bytes == null) {
                    throw new IllegalArgumentException("not an address: " + value);
                }
                addresses.put(field, bytes);
                text.put(field, value);
            }
        }
        return this;
    }

    public TestEvent set(Field field, long value) {
        return set(field, Long.toString(value));
    }

    public TestEvent remove(Field field) {
        lists.remove(field);
        text.remove(field);
        numbers.remove(field);
        addresses.remove(field);
        return this;
    }

    public TestEvent at(long nanos) {
        this.timestampNanos = nanos;
        return this;
    }

    public TestEvent atMinute(long minute) {
        return at(minute * 60_000_000_000L);
    }

    @Override
    public EventType type() {
        return type;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public CharSequence text(Field field) {
        return text.get(field);
    }

    @Override
    public CharSequence item(Field field, int index) {
        List<String> items = lists.get(field);
        return items == null || index >= items.size() ? null : items.get(index);
    }

    @Override
    public long number(Field field) {
        Long v = numbers.get(field);
        return v == null ? ABSENT : v;
    }

    @Override
    public int address(Field field, byte[] out) {
        byte[] a = addresses.get(field);
        if (a == null) {
            return 0;
        }
        System.arraycopy(a, 0, out, 0, a.length);
        return a.length;
    }
}
