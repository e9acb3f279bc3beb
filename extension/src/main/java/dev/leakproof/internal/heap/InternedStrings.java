package dev.leakproof.internal.heap;

import dev.leakproof.internal.jvm.DiagnosticCommands;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * How many strings this JVM has interned: the entries of its string table, read in-process through
 * the DiagnosticCommand MBean as {@code jcmd <pid> VM.stringtable} prints them (a few ms). Every
 * string literal a class resolves is interned and then kept by that class's constant pool for as
 * long as the class lives, and code keeps resolving literals for a long while: when a path runs for
 * the first time, and when the JIT compiles a method (it resolves the literals of what it inlines).
 * A clean client on Netty and the JDK's TLS added 1 to 4 of them per repetition over hundreds of
 * repetitions, on JDK 17 and 25, with one {@code String} and one {@code byte[]} each: the class
 * growth check leaves them out.
 *
 * <pre>{@code
 * long interned = InternedStrings.count(); // -1 where the JVM has no VM.stringtable command
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class InternedStrings {

    // The first table in the output is the JVM's own; JDK 25 prints CDS's shared table after it.
    private static final Pattern ENTRIES = Pattern.compile("Number of entries\\s*:\\s*(\\d+)");

    private InternedStrings() {
    }

    /** The string table's entries now, or -1 where this JVM cannot say (not HotSpot, or the command is missing). */
    public static long count() {
        try {
            return parse(DiagnosticCommands.run("vmStringtable"));
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }

    static long parse(String text) {
        Matcher m = ENTRIES.matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
