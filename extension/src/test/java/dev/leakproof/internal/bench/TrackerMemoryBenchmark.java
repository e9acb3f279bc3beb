package dev.leakproof.internal.bench;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.fixture.bench.ResultFile;
import dev.leakproof.internal.tracking.ConnectionTracker;
import dev.leakproof.internal.tracking.TrackedConnection;
import dev.leakproof.internal.tracking.TrackedObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Proves that the tracker's own memory stays bounded over a long test: 100,000 connect / handshake /
 * ping / close cycles through a fixture server observed by one {@code ConnectionTracker}, with no
 * verdict in between (nothing is retired), and every 10,000 cycles a full GC and a reading of the
 * tracker's references, the live {@code TrackedObject}s in a class histogram and the used heap. The
 * result is the least-squares slope of the used heap after GC, in bytes retained per 10,000 cycles.
 * 100,000 loopback connections from one JVM reuse client ports: the client closes first, so its
 * ports wait in TIME_WAIT, which Linux reuses for loopback connections ({@code net.ipv4.tcp_tw_reuse}
 * 2, the default); every failed cycle is counted and reported, and a run with failures says so.
 * Not a unit test: run it with
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=TrackerMemoryBenchmark
 * </pre>
 *
 * <p>Options: {@code --cycles 100000}, {@code --every 10000}, {@code --concurrency 8},
 * {@code --provider jdk}. The report goes to {@code target/benchmarks/tracker-memory-benchmark.md}.
 */
public final class TrackerMemoryBenchmark {

    private static final LineScript PING = LineScript.of("> ping", "< ping");
    // From the classes, not strings: the histogram counts 0 for a stale name (the tracker moved to internal.tracking).
    private static final String TRACKED_OBJECT = TrackedObject.class.getName();
    private static final String TRACKED_CONNECTION = TrackedConnection.class.getName();
    private static final double MIB = 1024.0 * 1024.0;

    private TrackerMemoryBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkSupport.main("TrackerMemoryBenchmark", () -> run(args));
    }

    private record Point(long cycles, long connections, long objects, int liveBeforeGc, int liveAfterGc,
            long trackedObjectInstances, long trackedConnectionInstances, long usedHeap, long failures,
            double handshakesPerSecond, long completed) {
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("cycles", "100000");
        defaults.put("every", "10000");
        defaults.put("concurrency", "8");
        defaults.put("provider", "jdk");
        BenchmarkSupport.Options options = BenchmarkSupport.Options.parse(args, defaults);
        int cycles = options.positive("cycles");
        int every = options.positive("every");
        int concurrency = options.positive("concurrency");
        TlsProvider provider = TlsProvider.parse(options.get("provider"));

        long wallStart = System.nanoTime();
        ResultFile result = ResultFile.start("tracker-memory", "Tracker memory over " + cycles
                + " cycles without a verdict", options.settings());
        List<String> environment = BenchmarkSupport.environment(options);
        System.out.println("Tracker memory over " + cycles + " cycles without a verdict");
        environment.forEach(line -> System.out.println("  " + line));
        System.out.println();

        List<Point> points = new ArrayList<>();
        ConnectionTracker tracker = new ConnectionTracker();
        try (TlsFixtureServer server = TlsFixtureServer.builder().provider(provider).observer(tracker).start();
                ConnectionDriver driver = ConnectionDriver.forServer(server).concurrency(concurrency).exchange(PING)
                        .build()) {
            points.add(reading(tracker, 0, 0, Double.NaN, 0));
            print(points.get(0));
            long done = 0;
            long failures = 0;
            long completed = 0;
            while (done < cycles) {
                int batch = (int) Math.min(every, cycles - done);
                DriverStats stats = driver.run(batch);
                done += batch;
                failures += stats.failures();
                completed += stats.cyclesCompleted();
                if (stats.failures() > 0) {
                    System.out.println("  failed cycles in this batch: " + stats.failuresByCause());
                }
                if (!server.awaitNoOpenConnections(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the server still holds connections: " + server.counts());
                }
                Point point = reading(tracker, done, failures, stats.handshakesPerSecond(), completed);
                points.add(point);
                print(point);
            }
        }

        long wallMillis = Duration.ofNanos(System.nanoTime() - wallStart).toMillis();
        List<String[]> rows = points.stream().map(TrackerMemoryBenchmark::cells).toList();
        String summary = summary(points);
        System.out.println();
        System.out.println(BenchmarkSupport.textTable(HEADER, rows, Set.of()));
        System.out.println(summary);
        System.out.println(BenchmarkSupport.SHARED_MACHINE_NOTE);
        System.out.printf(Locale.ROOT, "Wall time: %.1f s%n", wallMillis / 1000.0);

        StringBuilder md = new StringBuilder("# Tracker memory over a long run without a verdict\n\n");
        md.append(BenchmarkSupport.SHARED_MACHINE_NOTE).append("\n\n");
        md.append(BenchmarkSupport.markdownTable(HEADER, rows, Set.of())).append('\n');
        md.append(summary).append("\n\n");
        md.append(METHOD).append("\n\n");
        md.append(BenchmarkSupport.markdownFooter(TrackerMemoryBenchmark.class, options, environment, wallMillis));
        System.out.println("Report: " + BenchmarkSupport.writeReport("tracker-memory-benchmark", md.toString()));
        return writeResultFile(result, points) ? 0 : 3; // 3: measured, but the figures come with problems (bench/run)
    }

    /** The figures for bench/run: bytes retained per 10,000 cycles, and whether every cycle completed. */
    private static boolean writeResultFile(ResultFile result, List<Point> points) {
        List<Point> driven = points.subList(1, points.size());
        Point last = points.get(points.size() - 1);
        double slope = slope(driven);
        result.figure("used heap after GC, slope per 10,000 cycles", List.of(slope * 10_000), "bytes",
                "least squares over " + driven.size() + " checkpoints; flat = noise around 0");
        result.figure("used heap after GC at the checkpoints", driven.stream().map(p -> (double) p.usedHeap).toList(),
                "bytes", "");
        result.figure("tracker references after GC at the checkpoints",
                driven.stream().map(p -> (double) p.liveAfterGc).toList(), "references", "0 = nothing retained");
        result.figure("TrackedObject instances reachable at the checkpoints",
                driven.stream().map(p -> (double) p.trackedObjectInstances).toList(), "instances", "");
        result.figure("handshakes/s per batch", driven.stream().map(p -> p.handshakesPerSecond).toList(), "1/s", "");
        result.detail("cyclesRequested", last.cycles);
        result.detail("cyclesCompleted", last.completed);
        result.detail("failedCycles", last.failures);
        result.detail("checkpoints", points.stream().map(p -> java.util.Map.of("cycles", p.cycles, "usedHeapBytes",
                p.usedHeap, "liveRefsAtCheckpoint", p.liveBeforeGc, "liveRefsAfterGc", p.liveAfterGc,
                "trackedObjectInstances", p.trackedObjectInstances, "failures", p.failures)).toList());
        result.detail("summary", summary(points));
        boolean complete = last.failures == 0 && last.completed == last.cycles;
        if (!complete) {
            result.text("Problems", last.failures + " of " + last.cycles + " cycles failed; " + last.completed
                    + " completed");
        }
        result.write();
        return complete;
    }

    private static double slope(List<Point> driven) {
        double meanX = driven.stream().mapToLong(Point::cycles).average().orElse(0);
        double meanY = driven.stream().mapToLong(Point::usedHeap).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Point p : driven) {
            sxy += (p.cycles - meanX) * (p.usedHeap - meanY);
            sxx += (p.cycles - meanX) * (p.cycles - meanX);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static final String METHOD = "Method: one fixture server (built-in line echo) observed by one"
            + " `ConnectionTracker` that is never retired, as in one long test; a `ConnectionDriver` runs the"
            + " cycles (connect, full TLS handshake, `ping` echoed, client close) in batches. After each batch the"
            + " server has seen every close; \"live refs at checkpoint\" is the tracker's reference set then"
            + " (it drops collected objects only when the next connection opens, so this includes objects the"
            + " GC already freed). Then two forced full GCs (DiagnosticCommand gcRun), the tracker expunges"
            + " what its reference queue reported (as it does on the next connection): \"live refs after GC\"."
            + " TrackedObject / TrackedConnection instances are counted in a live class histogram (another full"
            + " GC): the tracker's own objects still reachable. Used heap is read after the forced GCs.";

    private static final String[] HEADER = {
        "Cycles", "Connections tracked", "Objects tracked", "Live refs at checkpoint", "Live refs after GC",
        "TrackedObject instances", "TrackedConnection instances", "Used heap after GC", "Failures", "Handshakes/s"};

    private static Point reading(ConnectionTracker tracker, long cycles, long failures, double handshakesPerSecond,
            long completed) {
        int before = BenchmarkAccess.liveReferences(tracker);
        long heap = BenchmarkAccess.usedHeapAfterFullGc();
        int after = awaitExpunged(tracker);
        BenchmarkSupport.Histogram histogram = BenchmarkSupport.histogram();
        return new Point(cycles, BenchmarkAccess.connectionsTracked(tracker), BenchmarkAccess.objectsTracked(tracker),
                before, after, histogram.instances(TRACKED_OBJECT), histogram.instances(TRACKED_CONNECTION), heap,
                failures, handshakesPerSecond, completed);
    }

    /**
     * The reference handler thread enqueues cleared references a little after the GC: expunge until the
     * count stops falling (bounded), the way the next connection's {@code connectionOpened} would.
     */
    private static int awaitExpunged(ConnectionTracker tracker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int last = BenchmarkAccess.expunge(tracker);
        int stable = 0;
        while (System.nanoTime() < deadline && stable < 5) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            int now = BenchmarkAccess.expunge(tracker);
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    private static void print(Point p) {
        System.out.printf(Locale.ROOT, "cycles %6d: live refs %6d at checkpoint, %4d after GC; TrackedObject %4d,"
                + " TrackedConnection %4d; used heap %.1f MiB; objects tracked %d%n", p.cycles, p.liveBeforeGc,
                p.liveAfterGc, p.trackedObjectInstances, p.trackedConnectionInstances, p.usedHeap / MIB, p.objects);
    }

    private static String[] cells(Point p) {
        return new String[] {
            String.format(Locale.ROOT, "%,d", p.cycles),
            String.format(Locale.ROOT, "%,d", p.connections),
            String.format(Locale.ROOT, "%,d", p.objects),
            String.format(Locale.ROOT, "%,d", p.liveBeforeGc),
            String.format(Locale.ROOT, "%,d", p.liveAfterGc),
            String.format(Locale.ROOT, "%,d", p.trackedObjectInstances),
            String.format(Locale.ROOT, "%,d", p.trackedConnectionInstances),
            String.format(Locale.ROOT, "%.2f MiB", p.usedHeap / MIB),
            String.valueOf(p.failures),
            Double.isNaN(p.handshakesPerSecond) ? "-" : String.format(Locale.ROOT, "%.0f", p.handshakesPerSecond)};
    }

    /** Growth between the first and the last checkpoint after traffic, and the least-squares heap slope. */
    private static String summary(List<Point> points) {
        List<Point> driven = points.subList(1, points.size());
        if (driven.size() < 2) {
            return "Too few checkpoints for a trend.";
        }
        Point first = driven.get(0);
        Point last = driven.get(driven.size() - 1);
        int maxAfter = driven.stream().mapToInt(Point::liveAfterGc).max().orElse(0);
        int maxBefore = driven.stream().mapToInt(Point::liveBeforeGc).max().orElse(0);
        long maxInstances = driven.stream().mapToLong(Point::trackedObjectInstances).max().orElse(0);
        double n = driven.size();
        double slope = slope(driven);
        double objectsPerConnection = last.connections == 0 ? 0 : last.objects / (double) last.connections;
        return String.format(Locale.ROOT, "Over %,d cycles the tracker took %,d weak references (%.1f per connection);"
                + " after a full GC it held at most %,d (first checkpoint %,d, last %,d) and at most %,d TrackedObject"
                + " instances were reachable; at a checkpoint, before the GC, at most %,d. Used heap after GC:"
                + " %.2f MiB at %,d cycles, %.2f MiB at %,d cycles (least-squares slope %.1f bytes per cycle, %,.0f"
                + " bytes per 10,000 cycles, over %d checkpoints). Failed cycles: %d.", last.cycles, last.objects,
                objectsPerConnection, maxAfter, first.liveAfterGc, last.liveAfterGc, maxInstances, maxBefore,
                first.usedHeap / MIB, first.cycles, last.usedHeap / MIB, last.cycles, slope, slope * 10_000, (int) n,
                last.failures);
    }
}
