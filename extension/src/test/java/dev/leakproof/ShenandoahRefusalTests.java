package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The refusal of a JVM where no GC can be forced, proven in such a JVM: Shenandoah with
 * -XX:+DisableExplicitGC ignores System.gc(), GC.run and a heap dump's collection alike, so every
 * connection of a clean class would look leaked (the reliability campaign's two false alarms on
 * 2026-12-02). The test JVM's own collector cannot be switched, so a child JVM with those two flags
 * runs an annotated class through EngineTestKit and says what happened; its fixed twin is the same
 * class with explicit GC allowed, which runs its connections and passes.
 */
class ShenandoahRefusalTests {

    private static final String REFUSED = "ExtensionConfigurationException on the class, tests started: 0";

    /** Counts the test bodies that ran in the child: none may, the class is refused in beforeAll. */
    static final AtomicInteger BODIES_RUN = new AtomicInteger();

    @DetectConnectionLeaks(cycles = 50)
    static class CleanClassTestCase {
        @Test
        void clientsConnectAndLeave(ConnectionDriver driver) {
            BODIES_RUN.incrementAndGet();
            driver.run(Exchange.handshakeOnly());
        }
    }

    @TempDir
    Path temporaryDirectory;

    @Test
    void shenandoahWithExplicitGcDisabledIsRefusedBeforeAnyConnection() throws Exception {
        assumeTrue(jvmStarts("-XX:+UseShenandoahGC"), "this JDK has no Shenandoah");
        String out = runInChildJvm("-XX:+UseShenandoahGC", "-XX:+DisableExplicitGC");
        assertThat(out).contains(REFUSED, "test bodies run: 0",
                "Leakproof cannot force a garbage collection in this JVM: -XX:+DisableExplicitGC with "
                        + "-XX:+UseShenandoahGC", "Remove -XX:+DisableExplicitGC");
    }

    @Test
    void shenandoahWithExplicitGcAllowedRunsAndPasses() throws Exception {
        assumeTrue(jvmStarts("-XX:+UseShenandoahGC"), "this JDK has no Shenandoah");
        String out = runInChildJvm("-XX:+UseShenandoahGC");
        assertThat(out).contains("tests succeeded: 1, failed: 0", "test bodies run: 1").doesNotContain(REFUSED);
    }

    /**
     * The child JVM's entry point: runs {@link CleanClassTestCase} and prints what the parent asserts.
     * Exits 0 whatever the outcome: the outcome is in the output.
     */
    public static void main(String[] args) {
        EngineExecutionResults results = TestKit.run(CleanClassTestCase.class);
        boolean refused = results.containerEvents().filter(e -> event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class))).matches(e)).findAny().isPresent();
        if (refused && results.testEvents().started().count() == 0) {
            System.out.println(REFUSED);
        }
        results.containerEvents().failed().stream()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream())
                .forEach(t -> System.out.println("class failed: " + t.getClass().getSimpleName() + ": " + t.getMessage()));
        TestKit.failures(results.testEvents()).forEach(f -> System.out.println("test failed: " + f));
        System.out.println("tests succeeded: " + results.testEvents().succeeded().count()
                + ", failed: " + results.testEvents().failed().count());
        System.out.println("test bodies run: " + BODIES_RUN.get());
    }

    /** This test JVM's flags without its collector choice and agents, then the given flags. */
    private String runInChildJvm(String... gcFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.matches("-XX:[+-](Use\\w+GC|DisableExplicitGC)") && !arg.startsWith("-javaagent")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(gcFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ShenandoahRefusalTests.class.getName()));
        // Output to a file, not a pipe: a pipe would have to be read while waiting, and the wait is bounded.
        Path output = Files.createTempFile(temporaryDirectory, "child", ".out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child JVM did not end within 120 s: " + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit code of %s, which printed:%n%s", command, out).isZero();
        return out;
    }

    private static boolean jvmStarts(String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), flag, "-version")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
