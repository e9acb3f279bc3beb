package dev.leakproof.internal.size;

import dev.leakproof.fixture.ClientProcess;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.gc.UsedHeap;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.os.ResidentMemory;
import dev.leakproof.internal.os.ThreadSnapshot;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.wait.Waits;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The step load of long-lived connection services test: open connections are raised step by step (e.g. 100, 500, 1000,
 * 2000) from a client in another JVM and held, while the server's heap after GC, RSS, file
 * descriptors and threads are recorded at each step, and its allocation per message written while
 * the connections idle (heartbeats). After every connection closed, each must be back at its
 * baseline.
 *
 * <pre>{@code
 * StepLoad.Result result = StepLoad.run(server, List.of(100, 500), Duration.ofSeconds(2), script, List.of());
 * List<String> problems = StepLoad.notReturned(result);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class StepLoad {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    /** The server at one step. {@code allocatedPerWrite} is -1 when nothing was written during the hold. */
    public record Step(int open, long heapBytes, long rssBytes, long fileDescriptors, int threads, long writesDuringHold,
            double allocatedPerWrite) {
    }

    /**
     * All steps, the baseline before and the state after every connection closed, and the threads
     * started during the steps (not allowed by name) still running after the close.
     */
    public record Result(Step baseline, List<Step> steps, Step afterClose, Duration hold, List<String> threadsLeft)
            implements Evidence {

        @Override
        public void json(JsonWriter json) {
            SizeReport.json(this, json);
        }

        @Override
        public void html(StringBuilder html, Place place) {
            SizeReport.html(this, html);
        }
    }

    private StepLoad() {
    }

    public static Result run(TlsFixtureServer server, List<Integer> steps, Duration hold, LineScript script,
            List<Pattern> threadAllowlist) {
        List<Step> measured = new ArrayList<>();
        Step baseline;
        Step afterClose;
        List<String> threadsLeft;
        try (ClientProcess client = ClientProcess.start(server)) {
            settle(server, 0);
            baseline = measure(server, 0, 0, -1);
            ThreadSnapshot threadsAtBaseline = ThreadSnapshot.take();
            int held = 0;
            for (int step : steps) {
                held = client.open(step - held, script);
                settle(server, step);
                long[] threads = eventLoopThreadIds(server);
                long allocatedBefore = allocated(threads);
                long writesBefore = server.counts().writes();
                Waits.hold(hold);
                long writes = server.counts().writes() - writesBefore;
                long allocatedDuring = allocated(threads) - allocatedBefore;
                measured.add(measure(server, step, writes, writes == 0 ? -1 : allocatedDuring / (double) writes));
            }
            client.closeAll();
            settle(server, 0);
            afterClose = measure(server, 0, 0, -1);
            threadsLeft = threadsAtBaseline.startedSince(threadAllowlist).stream().map(ThreadSnapshot::describe).toList();
        }
        return new Result(baseline, measured, afterClose, hold, threadsLeft);
    }

    private static Step measure(TlsFixtureServer server, int open, long writes, double allocatedPerWrite) {
        long heap = UsedHeap.afterFullGc();
        return new Step(open, heap, ResidentMemory.bytes(), FileDescriptors.snapshot().count(),
                Thread.getAllStackTraces().size(), writes,
                allocatedPerWrite);
    }

    private static long[] eventLoopThreadIds(TlsFixtureServer server) {
        List<Long> ids = new ArrayList<>();
        for (EventExecutor loop : server.childEventLoops()) {
            io.netty.util.concurrent.Future<Long> id = loop.submit(() -> Thread.currentThread().getId());
            if (id.awaitUninterruptibly(5000) && id.isSuccess()) {
                ids.add(id.getNow());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** Bytes allocated so far by the given threads (HotSpot's per-thread allocation counter). */
    private static long allocated(long[] threadIds) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()) {
            long total = 0;
            for (long bytes : hotspot.getThreadAllocatedBytes(threadIds)) {
                total += Math.max(0, bytes);
            }
            return total;
        }
        return 0;
    }

    /** Problems with the return to baseline after close, for a failure message; empty when none. */
    public static List<String> notReturned(Result result) {
        List<String> problems = new ArrayList<>();
        Step base = result.baseline();
        Step after = result.afterClose();
        Map<String, Long> left = leftBehind(result);
        if (left.containsKey("heap bytes")) {
            problems.add("heap after GC " + Bytes.format(after.heapBytes()) + " against "
                    + Bytes.format(base.heapBytes()) + " before the first step (peak "
                    + Bytes.format(peakHeap(result)) + ")");
        }
        if (left.containsKey("file descriptors")) {
            problems.add(after.fileDescriptors() + " open file descriptors against " + base.fileDescriptors()
                    + " before the first step");
        }
        if (left.containsKey("threads")) {
            problems.add(result.threadsLeft().size() + " threads started during the steps still running: "
                    + String.join(", ", result.threadsLeft()));
        }
        return problems;
    }

    /**
     * What did not come back to the baseline once every connection closed, by kind ({@code heap bytes},
     * {@code file descriptors}, {@code threads}), beyond the noise each is allowed; empty when all came back.
     */
    public static Map<String, Long> leftBehind(Result result) {
        Map<String, Long> left = new LinkedHashMap<>();
        Step base = result.baseline();
        Step after = result.afterClose();
        long heapTolerance = Math.max(2L << 20, (peakHeap(result) - base.heapBytes()) / 10);
        if (after.heapBytes() - base.heapBytes() > heapTolerance) {
            left.put("heap bytes", after.heapBytes() - base.heapBytes());
        }
        if (base.fileDescriptors() >= 0 && after.fileDescriptors() - base.fileDescriptors() > 5) {
            left.put("file descriptors", after.fileDescriptors() - base.fileDescriptors());
        }
        if (!result.threadsLeft().isEmpty()) {
            left.put("threads", (long) result.threadsLeft().size());
        }
        return left;
    }

    private static long peakHeap(Result result) {
        return result.steps().stream().mapToLong(Step::heapBytes).max().orElse(result.baseline().heapBytes());
    }

    private static void settle(TlsFixtureServer server, int open) {
        Waits.until(() -> server.counts().open(), n -> n == open, SETTLE, Duration.ofMillis(10));
        if (open == 0) {
            server.awaitNoOpenConnections(SETTLE);
        }
        server.awaitEventLoops(SETTLE);
    }
}
