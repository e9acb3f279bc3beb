package dev.leakproof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.ConnectionLeakError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The main job's judgement, on made-up outcomes: it must fail whenever any class ends the wrong way. */
class MainJobVerdictTests {

    private static final ConnectionLeakError LEAK = new ConnectionLeakError(
            "200 of 200 connections leaked: 200 x PresenceSession survived a full GC.\n  What to do next: ...",
            200, 200, Map.of());

    @Test
    void passesWhenTheSampleServerPassesAndEveryLeakIsCaughtAndEveryTwinPasses() {
        MainJobVerdict verdict = MainJobVerdict.of(allAsExpected());

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.summary()).containsExactly("sample server: leak-free (7 tests)",
                "leaky examples caught: 1 of 1", "fixed twins passing: 1 of 1");
        assertThat(verdict.consoleText(Path.of("report.md")))
                .contains("LEAK FOUND  PresenceRegistryLeakExample")
                .contains("expected: this example leaks on purpose")
                .contains("usersComeOnlineAndLeave(): 200 of 200 connections leaked: 200 x PresenceSession survived a full GC.\n")
                .doesNotContain("What to do next")
                .contains("Verdict: PASS");
        assertThat(verdict.markdown()).contains("```text\n200 of 200 connections leaked").contains("What to do next");
    }

    @Test
    void failsWhenAFixedTwinLeaks() {
        List<TestClassOutcome> outcomes = new ArrayList<>(allAsExpected());
        outcomes.set(2, outcome("dev.leakproof.examples.presence.PresenceRegistryFixedExample", 1, LEAK));

        MainJobVerdict verdict = MainJobVerdict.of(outcomes);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.summary()).contains("fixed twins passing: 0 of 1 (FAILING: PresenceRegistryFixedExample)");
        assertThat(verdict.consoleText(Path.of("report.md"))).contains("UNEXPECTED").contains("Verdict: FAIL");
    }

    @Test
    void failsWhenALeakyExampleIsNotCaught() {
        List<TestClassOutcome> outcomes = new ArrayList<>(allAsExpected());
        outcomes.set(1, outcome("dev.leakproof.examples.presence.PresenceRegistryLeakExample", 1, null));

        MainJobVerdict verdict = MainJobVerdict.of(outcomes);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.summary()).contains("leaky examples caught: 0 of 1 (NOT CAUGHT: PresenceRegistryLeakExample)");
    }

    @Test
    void aLeakyExampleThatFailsForAnotherReasonIsNotCaught() {
        List<TestClassOutcome> outcomes = new ArrayList<>(allAsExpected());
        outcomes.set(1, outcome("dev.leakproof.examples.presence.PresenceRegistryLeakExample", 1,
                new AssertionError("expected 'WELCOME' from the server but got 'ERR'")));

        assertThat(MainJobVerdict.of(outcomes).passed()).isFalse();
    }

    @Test
    void failsWhenTheSampleServerLeaksOrWasNotRun() {
        List<TestClassOutcome> leaking = new ArrayList<>(allAsExpected());
        leaking.set(0, outcome("dev.leakproof.sample.chat.ChatServerLeakTests", 7, LEAK));
        assertThat(MainJobVerdict.of(leaking).passed()).isFalse();
        assertThat(MainJobVerdict.of(leaking).summary().get(0)).startsWith("sample server: FAILED (1 of 7 tests failed");

        assertThat(MainJobVerdict.of(allAsExpected().subList(1, 3)).passed()).isFalse();
    }

    private static List<TestClassOutcome> allAsExpected() {
        return List.of(
                outcome("dev.leakproof.sample.chat.ChatServerLeakTests", 7, null),
                outcome("dev.leakproof.examples.presence.PresenceRegistryLeakExample", 1, LEAK),
                outcome("dev.leakproof.examples.presence.PresenceRegistryFixedExample", 1, null));
    }

    private static TestClassOutcome outcome(String className, int tests, Throwable failure) {
        List<TestClassOutcome.Failure> failures = failure == null ? List.of()
                : List.of(new TestClassOutcome.Failure("usersComeOnlineAndLeave()", failure));
        return new TestClassOutcome(1, className, tests, failures, Duration.ofSeconds(1));
    }
}
