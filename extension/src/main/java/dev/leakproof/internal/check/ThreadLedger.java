package dev.leakproof.internal.check;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Which test started each thread that outlived it, kept for the class's end: a thread left by one
 * test may be a pool started once (a library's global event loop), threads left by several tests
 * are started per test and never stopped.
 *
 * <pre>{@code
 * ledger.leftBy("firstTest()", threads);
 * String test = ledger.testThatStarted(thread);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ThreadLedger {

    private static final Pattern LAST_NUMBER = Pattern.compile("\\d+(?!.*\\d)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final Map<Long, String> startedBy = new LinkedHashMap<>();
    private final Set<String> failedForThreads = new HashSet<>();

    /** Records that {@code test} left {@code threads} running. */
    public synchronized void leftBy(String test, List<Thread> threads) {
        threads.forEach(t -> startedBy.putIfAbsent(t.getId(), test));
    }

    /** Records that the verdict of {@code test} failed for the threads it left (their names are said). */
    public synchronized void failedFor(String test) {
        failedForThreads.add(test);
    }

    /**
     * Whether a test's verdict already failed for {@code thread}: the class's end does not name it again
     * (the same threads, twice, would be one leak reported as two).
     */
    public synchronized boolean alreadyFailed(Thread thread) {
        String test = startedBy.get(thread.getId());
        return test != null && failedForThreads.contains(test);
    }

    /** The test that left {@code thread} running, or {@code null} when it started outside a test. */
    public synchronized String testThatStarted(Thread thread) {
        return startedBy.get(thread.getId());
    }

    /**
     * The pool a thread belongs to, told from its name without its last number: the threads of one
     * pool share it ({@code reactor-http-nio-1}, {@code reactor-http-nio-2}), two pools differ
     * ({@code pool-5-thread-1}, {@code pool-6-thread-1}).
     */
    static String pool(String threadName) {
        return LAST_NUMBER.matcher(threadName).replaceFirst("#");
    }

    /** A thread's name with every number taken out: threads of pools made alike share it ({@code pool-#-thread-#}). */
    static String stem(String threadName) {
        return NUMBER.matcher(threadName).replaceAll("#");
    }
}
