package dev.leakproof.internal.growth;

import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.heap.ClassHistogram;
import dev.leakproof.internal.heap.InternedStrings;
import dev.leakproof.internal.netty.ScheduledTasks;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.os.ThreadSnapshot;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Measures every resource at one point, once what the action started has settled: the fixture
 * server's event loops have run everything queued, the open connection and thread counts have
 * stopped changing (a client closes asynchronously), and a full GC has run.
 *
 * <pre>{@code
 * ResourceMeter meter = new ResourceMeter(server, tracker, List.of(), Duration.ofSeconds(5), ResourceMeter.QUIET);
 * ResourcePoint before = meter.measure(0);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ResourceMeter {

    /** A count unchanged this long has settled: closes and thread ends in flight take milliseconds. */
    public static final Duration QUIET = Duration.ofMillis(100);
    /**
     * Inside a driven run, every cycle before the checkpoint has seen its close: what is still in flight
     * is the server's side of the last few closes, which a shorter quiet lets settle.
     */
    public static final Duration QUIET_IN_DRIVEN_RUN = Duration.ofMillis(20);
    private static final Duration POLL = Duration.ofMillis(10);

    private final TlsFixtureServer server;
    private final ConnectionTracker tracker;
    private final List<Pattern> threadAllowlist;
    private final Duration settleLimit;
    private final Duration quiet;

    /**
     * @param server the fixture server whose connections and tasks count, or {@code null}
     * @param tracker the tracker whose live objects count
     * @param threadAllowlist thread name patterns that never count (besides the built-in ones)
     * @param settleLimit the most each settling may take
     * @param quiet how long a count must stay unchanged to have settled ({@link #QUIET} or {@link #QUIET_IN_DRIVEN_RUN})
     */
    public ResourceMeter(TlsFixtureServer server, ConnectionTracker tracker, List<Pattern> threadAllowlist,
            Duration settleLimit, Duration quiet) {
        this.server = server;
        this.tracker = tracker;
        this.threadAllowlist = threadAllowlist;
        this.settleLimit = settleLimit;
        this.quiet = quiet;
    }

    public ResourcePoint measure(int repetitions) {
        long start = System.nanoTime();
        long open = 0;
        long tasks = 0;
        if (server != null) {
            server.awaitEventLoops(settleLimit);
            open = Waits.untilQuiet(() -> server.counts().open(), quiet, settleLimit, POLL);
            server.awaitEventLoops(settleLimit);
        }
        ResourcePoint.Threads threads = settledThreads();
        // Before any GC: a GC would close the descriptors of unreachable streams and hide their leak.
        long descriptors = FileDescriptors.snapshot().count();
        if (server != null) {
            tasks = ScheduledTasks.pendingOn(server.childEventLoops(), settleLimit).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
        GcForcer.fullGc();
        tracker.expungeCleared();
        long tracked = tracker.liveReferences();
        ClassHistogram classes = ClassHistogram.take();
        // Right after the histogram: the interned strings it counts among java.lang.String and byte[].
        return new ResourcePoint(repetitions, classes, InternedStrings.count(), open, threads, descriptors, tasks, tracked,
                start);
    }

    private ResourcePoint.Threads settledThreads() {
        Waits.untilQuiet(() -> ThreadSnapshot.alive(threadAllowlist).size(), quiet, settleLimit, POLL);
        List<Thread> alive = ThreadSnapshot.alive(threadAllowlist);
        return new ResourcePoint.Threads(alive.stream().mapToLong(Thread::getId).toArray(),
                alive.stream().map(Thread::getName).toArray(String[]::new));
    }
}
