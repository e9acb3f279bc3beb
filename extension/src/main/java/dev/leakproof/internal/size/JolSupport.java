package dev.leakproof.internal.size;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apiguardian.api.API;
import org.openjdk.jol.util.ObjectUtils;
import org.openjdk.jol.vm.VM;

/**
 * Whether JOL can size objects and read private JDK fields in this JVM. JOL needs
 * {@value #REQUIRED_FLAGS}; without them it either fails deep inside or guesses, and a leak tool
 * must say which instead of printing JOL's stack trace.
 *
 * <pre>{@code
 * JolSupport.problem().ifPresent(why -> System.out.println("retained size skipped: " + why));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class JolSupport {

    public static final String REQUIRED_FLAGS = "-Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true "
            + "-XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED";

    // The answer for the flags as they were when it was found: a JVM's flags do not change, but a
    // test of this class turns the one system property off and on again.
    private static volatile String probedFor;
    private static volatile Optional<String> problem;

    private JolSupport() {
    }

    /** A record: the JVM refuses Unsafe's plain offset lookup for its fields, so JOL needs its magic. */
    private record OffsetProbe(Object value) {
    }

    /** Empty when JOL works here, else why not (one sentence, with the flags to add). */
    public static Optional<String> problem() {
        String flags = System.getProperty("jol.magicFieldOffset", "");
        if (problem == null || !flags.equals(probedFor)) {
            problem = probe();
            probedFor = flags;
        }
        return problem;
    }

    private static Optional<String> probe() {
        // JOL announces its own set-up on stdout; keep it out of the test's output.
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            VM.current();
            if (!Boolean.getBoolean("jol.magicFieldOffset")) {
                return Optional.of("JOL cannot read private fields of JDK records and hidden classes without "
                        + "-Djol.magicFieldOffset=true; run the tests with " + REQUIRED_FLAGS);
            }
            // A private field of a java.base class that is not opened to us: JOL must read it through Unsafe.
            java.util.Map.Entry<String, String> entry = java.util.Map.entry("k", "v");
            Object value = ObjectUtils.value(entry, entry.getClass().getDeclaredField("key"));
            if (!"k".equals(value)) {
                return Optional.of("JOL read a wrong value from a JDK object; run the tests with " + REQUIRED_FLAGS);
            }
            // JOL reads the flag once, when it is first used: a JVM where something used JOL before the
            // flag was set cannot take the offset of a record's field, whatever the property says now.
            try {
                VM.current().fieldOffset(OffsetProbe.class.getDeclaredField("value"));
            } catch (RuntimeException e) {
                return Optional.of("JOL was first used in this JVM before -Djol.magicFieldOffset=true was set, and "
                        + "it reads that flag only once; set it on the command line, not in code: run the tests "
                        + "with " + REQUIRED_FLAGS);
            }
            if (captured.toString(StandardCharsets.UTF_8).contains("Unable to get Instrumentation")) {
                return Optional.of("JOL could not attach its agent to size objects; run the tests with " + REQUIRED_FLAGS);
            }
            return Optional.empty();
        } catch (Throwable e) {
            return Optional.of("JOL cannot measure objects in this JVM (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); run the tests with " + REQUIRED_FLAGS);
        } finally {
            System.setOut(stdout);
        }
    }
}
