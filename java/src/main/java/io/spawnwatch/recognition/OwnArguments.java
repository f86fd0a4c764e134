package io.spawnwatch.recognition;

import java.util.List;
import java.util.Set;

/**
 * The part of an interpreter's argv that is its own: argv[0], the
 * interpreter's options, and the program it runs (script, module, main class
 * or jar), but not the arguments given to that program. "python3 -m gunicorn
 * app:app" owns "python3 -m gunicorn"; "python3 -m pip download gunicorn"
 * owns "python3 -m pip"; "java -Dcatalina.base=/x -cp b.jar
 * org.apache.catalina.startup.Bootstrap start" owns all but "start".
 */
public final class OwnArguments {
    /**
     * Options whose value is the next argument and names the program itself
     * (python -m, java -jar): the program ends the interpreter's part.
     */
    private static final Set<String> PROGRAM_OPTIONS = Set.of("-m", "-jar", "--module");
    /** Options whose value is the next argument (java -cp, ruby -I, perl -I ...). */
    private static final Set<String> VALUE_OPTIONS = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "-I", "-r", "-W", "-X", "--require", "--import", "-e", "-c", "--eval");

    private OwnArguments() {}

    /** How many leading arguments of {@code argv} belong to the interpreter (at least 1 when argv is not empty). */
    public static int count(List<String> argv) {
        int i = 1;
        while (i < argv.size()) {
            String a = argv.get(i);
            if (PROGRAM_OPTIONS.contains(a)) {
                return Math.min(argv.size(), i + 2);
            }
            if (a.equals("-c") || a.equals("-e") || a.equals("--eval")) {
                return Math.min(argv.size(), i + 2); // inline code is the program
            }
            if (VALUE_OPTIONS.contains(a)) {
                i += 2;
                continue;
            }
            if (a.equals("--")) {
                return Math.min(argv.size(), i + 2);
            }
            if (!a.startsWith("-")) {
                return i + 1; // the script, module or main class
            }
            i++;
        }
        return Math.min(i, argv.size());
    }

    /** The interpreter's own arguments joined with single spaces. */
    public static String of(List<String> argv) {
        return String.join(" ", argv.subList(0, count(argv)));
    }
}
