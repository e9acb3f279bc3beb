package dev.leakproof.internal.check;

import dev.leakproof.internal.os.ThreadSnapshot;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Threads started and left running, for the per-test and the per-class thread checks: how long
 * they are given to end, how many a lazily started pool may hold, and the words of the finding.
 *
 * <pre>{@code
 * List<Thread> left = Threads.awaitEnded(before, List.of(), Duration.ofSeconds(5));
 * }</pre>
 */
final class Threads {

    private static final int MAX_LISTED = 5;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration QUIET = Duration.ofMillis(100);

    /**
     * The most threads a pool started once may hold: Netty's and most libraries' event loop groups
     * default to two threads per core, started lazily as connections register, so that many can
     * appear during one test without growing with the connections. Leftover threads beyond this
     * cannot be such a pool.
     */
    static final int POOL_BOUND = 2 * Runtime.getRuntime().availableProcessors() + 4;

    private Threads() {
    }

    /** Threads started since {@code since} that are still alive once the grace period allowed them to end. */
    static List<Thread> awaitEnded(ThreadSnapshot since, List<Pattern> allowlist, Duration grace) {
        return Waits.until(() -> since.startedSince(allowlist), List::isEmpty, grace, POLL);
    }

    /** Threads started since {@code since} once their count stopped changing (ends in flight take milliseconds). */
    static List<Thread> settled(ThreadSnapshot since, List<Pattern> allowlist, Duration limit) {
        Waits.untilQuiet(() -> since.startedSince(allowlist).size(), QUIET, limit, POLL);
        return since.startedSince(allowlist);
    }

    static String message(List<Thread> threads, long connections, String when) {
        return threads.size() + (threads.size() == 1 ? " thread" : " threads") + " started " + when + " "
                + (threads.size() == 1 ? "is" : "are") + " still running (" + connections + " connections): "
                + listed(threads)
                + ".\n  What to do next: stop threads and shut down executors a connection starts when it closes, or "
                + "share one bounded pool; a thread that lives by design can be allowed with threadAllowlist.";
    }

    static String listed(List<Thread> threads) {
        return threads.stream().limit(MAX_LISTED).map(ThreadSnapshot::describe).collect(Collectors.joining("; "))
                + (threads.size() > MAX_LISTED ? "; and " + (threads.size() - MAX_LISTED) + " more" : "");
    }
}
