package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A child JVM for what the test JVM cannot be: another collector, or a JVM whose history matters
 * (what ran first). It runs a test class's {@code main} on this JVM's class path and flags, bounded
 * in time, and returns what it printed; the test asserts on that output.
 *
 * <pre>{@code
 * String out = ChildJvm.run(tempDir, MyTests.class, flag -> true, "-XX:+UseSerialGC");
 * }</pre>
 */
final class ChildJvm {

    private static final int TIMEOUT_SECONDS = 120;

    private ChildJvm() {
    }

    /**
     * This JVM's flags that {@code keepFlag} accepts (agents never: the coverage agent would write
     * into the parent's file), then {@code extraFlags}, then {@code mainClass}. The child must exit 0
     * whatever its outcome: the outcome is in its output.
     */
    static String run(Path directory, Class<?> mainClass, Predicate<String> keepFlag, String... extraFlags)
            throws IOException, InterruptedException {
        return runOnClassPath(directory, mainClass, keepFlag, System.getProperty("java.class.path"), extraFlags);
    }

    /** The same on a class path of the test's choosing (this JVM's without some jars, say). */
    static String runOnClassPath(Path directory, Class<?> mainClass, Predicate<String> keepFlag, String classPath,
            String... extraFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaLauncher());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (keepFlag.test(arg) && !arg.startsWith("-javaagent")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-cp", classPath, mainClass.getName()));
        // Output to a file, not a pipe: a pipe would have to be read while waiting, and the wait is bounded.
        Path output = Files.createTempFile(directory, "child", ".out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child JVM did not end within " + TIMEOUT_SECONDS + " s: " + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit code of %s, which printed:%n%s", command, out).isZero();
        return out;
    }

    /** For a child's {@code main}: prints each class-level failure of {@code results} as "class failed: Type: message". */
    static void printClassFailures(EngineExecutionResults results) {
        results.containerEvents().failed().stream()
                .flatMap(e -> e.getPayload(TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream())
                .forEach(t -> System.out.println("class failed: " + t.getClass().getSimpleName() + ": " + t.getMessage()));
    }

    /** Whether a JVM of this JDK starts with {@code flag} (a collector this build may lack, say). */
    static boolean starts(String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaLauncher(), flag, "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
