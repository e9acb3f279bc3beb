package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ThrowingRunnable;

/** Bounded waits shared by the tests; polled on the test's own thread so thread checks see no extra ones. */
final class Waits {
    private Waits() {
    }

    static void awaitUntil(String what, Callable<Boolean> condition) {
        await(what)
                .atMost(Duration.ofSeconds(3))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(condition);
    }

    static void awaitAsserted(String what, ThrowingRunnable assertion) {
        await(what)
                .atMost(Duration.ofSeconds(3))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(assertion);
    }

    /** The hub has forgotten every connection: no session, no room, nothing counted against the cap. */
    static void awaitHubEmpty(ChatHub hub) {
        awaitAsserted("hub empty", () -> assertThat(hub).matches(
                h -> h.sessionCount() == 0 && h.roomCount() == 0 && h.connectionCount() == 0,
                "no session, no room, no counted connection"));
    }
}
