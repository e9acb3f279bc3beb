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
import java.nio.file.Path;
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
        assumeTrue(ChildJvm.starts("-XX:+UseShenandoahGC"), "this JDK has no Shenandoah");
        String out = runInChildJvm("-XX:+UseShenandoahGC", "-XX:+DisableExplicitGC");
        assertThat(out).contains(REFUSED, "test bodies run: 0",
                "Leakproof cannot force a garbage collection in this JVM: -XX:+DisableExplicitGC with "
                        + "-XX:+UseShenandoahGC", "Remove -XX:+DisableExplicitGC");
    }

    @Test
    void shenandoahWithExplicitGcAllowedRunsAndPasses() throws Exception {
        assumeTrue(ChildJvm.starts("-XX:+UseShenandoahGC"), "this JDK has no Shenandoah");
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
        ChildJvm.printClassFailures(results);
        TestKit.failures(results.testEvents()).forEach(f -> System.out.println("test failed: " + f));
        System.out.println("tests succeeded: " + results.testEvents().succeeded().count()
                + ", failed: " + results.testEvents().failed().count());
        System.out.println("test bodies run: " + BODIES_RUN.get());
    }

    /** This test JVM's flags without its collector choice, then the given flags. */
    private String runInChildJvm(String... gcFlags) throws IOException, InterruptedException {
        return ChildJvm.run(temporaryDirectory, ShenandoahRefusalTests.class,
                flag -> !flag.matches("-XX:[+-](Use\\w+GC|DisableExplicitGC)"), gcFlags);
    }
}
