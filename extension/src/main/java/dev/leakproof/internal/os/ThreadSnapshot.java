package dev.leakproof.internal.os;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Threads alive at one moment, to find those a test started and left running. Threads that live
 * by design are filtered out by name, the way randomizedtesting's thread-leak filters do: the
 * JVM's own, Netty's shared executor, the JDK's common pool, build tools' and Leakproof's own.
 *
 * <pre>{@code
 * ThreadSnapshot before = ThreadSnapshot.take();
 * // ... the test ...
 * List<Thread> started = before.startedSince(List.of());
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ThreadSnapshot {

    public static final List<Pattern> BUILT_IN_ALLOWLIST = List.of(
            Pattern.compile("leakproof-.*"),            // the fixture server and drivers, closed by their owners
            Pattern.compile("globalEventExecutor-.*"),  // Netty's shared executor, stops itself when idle
            Pattern.compile("ForkJoinPool\\.commonPool-.*"),
            Pattern.compile("ForkJoinPool-\\d+-worker-\\d+"),
            Pattern.compile("Common-Cleaner|Cleaner-\\d+|Reference Handler|Finalizer|Signal Dispatcher"),
            Pattern.compile("Attach Listener|Notification Thread|Service Thread|process reaper|Sweeper thread"),
            Pattern.compile("surefire-.*|junit-.*|JFR .*|RMI .*|GC Daemon|Keep-Alive-Timer|Keep-Alive-SocketCleaner"),
            // A JDK HttpClient's selector and its default executor's workers: they end when the client is collected.
            Pattern.compile("HttpClient-\\d+-(SelectorManager|Worker-\\d+)"),
            Pattern.compile("Java2D .*|AWT-.*|DestroyJavaVM"));

    private final Set<Long> ids;

    private ThreadSnapshot(Set<Long> ids) {
        this.ids = ids;
    }

    public static ThreadSnapshot take() {
        return new ThreadSnapshot(Arrays.stream(liveThreads()).map(Thread::getId).collect(Collectors.toSet()));
    }

    /** Threads alive now that were not alive at this snapshot and are not allowed by name. */
    public List<Thread> startedSince(List<Pattern> userAllowlist) {
        List<Thread> started = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (t.isAlive() && !ids.contains(t.getId()) && !allowed(t.getName(), userAllowlist)) {
                started.add(t);
            }
        }
        return started;
    }

    /** Every live thread not allowed by name: what a growth measurement counts. */
    public static List<Thread> alive(List<Pattern> userAllowlist) {
        List<Thread> alive = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (t.isAlive() && !allowed(t.getName(), userAllowlist)) {
                alive.add(t);
            }
        }
        return alive;
    }

    /**
     * Every live platform thread, from the root thread group: unlike {@code Thread.getAllStackTraces()},
     * this takes no stack (which would stop every thread at a safepoint to walk it), so a snapshot
     * costs microseconds.
     */
    static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2]; // more threads started meanwhile: enumerate again
        }
        return Arrays.copyOf(threads, n);
    }

    /** Whether this snapshot holds the thread (it was alive when the snapshot was taken). */
    public boolean contains(Thread thread) {
        return ids.contains(thread.getId());
    }

    private static boolean allowed(String name, List<Pattern> userAllowlist) {
        return BUILT_IN_ALLOWLIST.stream().anyMatch(p -> p.matcher(name).matches())
                || userAllowlist.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /** {@code com.example.Worker.run(Worker.java:12)}, without the module and class loader prefixes. */
    private static String frame(StackTraceElement e) {
        String where = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source" : e.getFileName() + (e.getLineNumber() >= 0 ? ":" + e.getLineNumber() : "");
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }

    /** {@code name (STATE at top frames)} for a failure message. */
    public static String describe(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        String top = java.util.Arrays.stream(stack).limit(3).map(ThreadSnapshot::frame).collect(Collectors.joining(" < "));
        return t.getName() + " (" + t.getState() + (top.isEmpty() ? "" : " at " + top) + ")";
    }
}
