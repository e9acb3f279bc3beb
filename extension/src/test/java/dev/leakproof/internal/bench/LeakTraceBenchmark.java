package dev.leakproof.internal.bench;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.fixture.bench.ResultFile;
import dev.leakproof.internal.tracking.ConnectionTracker;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelId;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import shark.HeapAnalyzer;

/**
 * How long the leak-trace step of a verdict takes on a realistic heap: a live heap dump and its Shark
 * analysis ({@code LeakTraces.find}), with 1000 leaked TLS connections in a heap of ~64 MiB and then
 * ~256 MiB of live data. The ballast is mostly small objects (maps of strings and small records, as
 * an application's caches are), so Shark has millions of objects to index, not a few big arrays.
 * Not a unit test: run it with
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=LeakTraceBenchmark
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=LeakTraceBenchmark -Dbenchmark.args="--heaps 256"
 * </pre>
 *
 * <p>Options: {@code --heaps 64,256} (MiB of live heap, measured in ascending order in one JVM),
 * {@code --repetitions 3}, {@code --connections 1000}, {@code --concurrency 8}, {@code --provider jdk},
 * {@code --timeout 300} (seconds, the analysis time limit), {@code --reader-rounds 2} (rounds of the
 * side-by-side comparison of Shark's file reader and the verdict's memory-mapped reader on one more
 * dump per size). The report goes to {@code target/benchmarks/leak-trace-benchmark.md}.
 */
public final class LeakTraceBenchmark {

    /** The leak under trace: every connection's handler goes into a static map, forever. */
    static final Map<ChannelId, LeakyHandler> LEAKED = new ConcurrentHashMap<>();

    /** Live data the heap dump and Shark must wade through. */
    static final List<Object> BALLAST = new ArrayList<>();

    private static final int CUSTOMERS_PER_CHUNK = 1024;
    private static final int BUFFERS_PER_CHUNK = 8;
    private static final int BUFFER_BYTES = 4096;
    private static final String[] CITIES = new String[64];
    private static final String[] TAGS = new String[16];
    private static final double MIB = 1024.0 * 1024.0;
    private static long nextCustomer;

    static {
        for (int i = 0; i < CITIES.length; i++) {
            CITIES[i] = "City number " + i;
        }
        for (int i = 0; i < TAGS.length; i++) {
            TAGS[i] = "tag-" + i;
        }
    }

    static final class LeakyHandler extends ChannelInboundHandlerAdapter {
        @SuppressWarnings("unused") // held like a real handler holds its context: the leak keeps the channel
        private ChannelHandlerContext ctx;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            LEAKED.put(ctx.channel().id(), this);
            ctx.fireChannelActive();
        }
    }

    record Address(String street, String city, int zip) {
    }

    record Customer(long id, String name, Address address, List<String> tags, int[] scores) {
    }

    private LeakTraceBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkSupport.main("LeakTraceBenchmark", () -> run(args));
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("heaps", "64,256");
        defaults.put("repetitions", "3");
        defaults.put("connections", "1000");
        defaults.put("concurrency", "8");
        defaults.put("provider", "jdk");
        defaults.put("timeout", "300");
        defaults.put("reader-rounds", "2");
        BenchmarkSupport.Options options = BenchmarkSupport.Options.parse(args, defaults);
        List<Integer> heaps = options.positives("heaps").stream().sorted().distinct().toList();
        int repetitions = options.positive("repetitions");
        int connections = options.positive("connections");
        int concurrency = options.positive("concurrency");
        TlsProvider provider = TlsProvider.parse(options.get("provider"));
        Duration timeout = Duration.ofSeconds(options.positive("timeout"));
        int readerRounds = options.positive("reader-rounds");

        long wallStart = System.nanoTime();
        ResultFile result = ResultFile.start("leak-trace", "Leak trace: heap dump + Shark analysis", options.settings());
        List<String> environment = BenchmarkSupport.environment(options);
        System.out.println("Leak trace benchmark: live heap dump + Shark analysis of " + connections
                + " leaked TLS connections");
        environment.forEach(line -> System.out.println("  " + line));
        System.out.println();

        List<Row> rows = new ArrayList<>();
        String leakSetup;
        ConnectionTracker tracker = new ConnectionTracker();
        try (TlsFixtureServer server = TlsFixtureServer.builder().provider(provider).observer(tracker)
                .handler(LeakyHandler::new).start()) {
            DriverStats stats;
            try (ConnectionDriver driver = ConnectionDriver.forServer(server).concurrency(concurrency)
                    .exchange(Exchange.handshakeOnly()).build()) {
                stats = driver.run(connections);
            }
            if (!server.awaitNoOpenConnections(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the server still holds connections: " + server.counts());
            }
            BenchmarkAccess.usedHeapAfterFullGc();
            int survivors = BenchmarkAccess.expungeCleared(tracker);
            leakSetup = String.format(Locale.ROOT, "%d cycles (%s, concurrency %d): %d completed, %d failed, %.0f"
                    + " handshakes/s; %d leaked handlers in the static map; %d tracked objects survived a full GC",
                    connections, server.provider(), concurrency, stats.cyclesCompleted(), stats.failures(),
                    stats.handshakesPerSecond(), LEAKED.size(), survivors);
            System.out.println(leakSetup);
            System.out.println();

            for (int target : heaps) {
                long used = growBallast(target * 1024L * 1024L);
                BenchmarkSupport.Histogram histogram = BenchmarkSupport.histogram();
                System.out.printf(Locale.ROOT, "heap ~%d MiB: used after full GC %.1f MiB, %,d live objects"
                        + " (%,d ballast customers), %d repetitions...%n", target, used / MIB,
                        histogram.totalInstances(), nextCustomer, repetitions);
                List<Long> dumps = new ArrayList<>();
                List<Long> analyses = new ArrayList<>();
                BenchmarkAccess.Traces last = null;
                for (int r = 1; r <= repetitions; r++) {
                    BenchmarkAccess.Traces traces = BenchmarkAccess.findLeakTraces(tracker,
                            "LeakTraceBenchmark-" + target + "MiB", timeout);
                    dumps.add(traces.dumpMillis());
                    analyses.add(traces.analysisMillis());
                    System.out.printf(Locale.ROOT, "  repetition %d: dump %d ms (%.1f MiB file), analysis %d ms,"
                            + " %d leaking objects, %d signature(s)%s%n", r, traces.dumpMillis(),
                            traces.dumpBytes() / MIB, traces.analysisMillis(), traces.leakingObjects(),
                            traces.signatures().size(), traces.skipped() == null ? "" : ", SKIPPED: " + traces.skipped());
                    last = traces;
                }
                System.out.println("  " + last.description().replace("\n", "\n  "));
                ReaderComparison steps = compareReaders(tracker, target, timeout, readerRounds);
                System.out.println("  Shark steps by reader, one more dump (ms):\n    "
                        + steps.describe().replace("\n", "\n    "));
                System.out.println();
                rows.add(new Row(target, used, histogram.totalInstances(), last.dumpBytes(), dumps, analyses, last,
                        steps));
            }
        }

        long wallMillis = Duration.ofNanos(System.nanoTime() - wallStart).toMillis();
        String text = BenchmarkSupport.textTable(HEADER, cells(rows), LEFT);
        System.out.println(text);
        System.out.println(verdict(rows));
        System.out.println(BenchmarkSupport.SHARED_MACHINE_NOTE);
        System.out.printf(Locale.ROOT, "Wall time: %.1f s%n", wallMillis / 1000.0);

        StringBuilder md = new StringBuilder("# Leak trace benchmark: heap dump + Shark analysis\n\n");
        md.append(BenchmarkSupport.SHARED_MACHINE_NOTE).append("\n\n");
        md.append(BenchmarkSupport.markdownTable(HEADER, cells(rows), LEFT)).append('\n');
        md.append(verdict(rows)).append("\n\n");
        md.append("Leaked connections: ").append(leakSetup).append(".\n\n");
        md.append(METHOD).append("\n\n");
        md.append("## Where Shark's time goes\n\n");
        md.append("One more dump per size, outside the medians, analysed by the verdict's code with Shark's own"
                + " file reader and with the memory-mapped reader the verdict uses, in the order file, mapped,"
                + " mapped, file; time per Shark step in ms (\"opening\" indexes the dump):\n\n");
        for (Row row : rows) {
            md.append("~").append(row.targetMib).append(" MiB heap:\n\n```\n").append(row.steps.describe())
                    .append("\n```\n\n");
        }
        md.append('\n');
        md.append("## Signatures printed\n\n");
        for (Row row : rows) {
            md.append("~").append(row.targetMib).append(" MiB heap:\n\n```\n").append(row.last.description())
                    .append("\n```\n\n");
        }
        md.append(BenchmarkSupport.markdownFooter(LeakTraceBenchmark.class, options, environment, wallMillis));
        System.out.println("Report: " + BenchmarkSupport.writeReport("leak-trace-benchmark", md.toString()));
        writeResultFile(result, rows, leakSetup);
        return 0;
    }

    /** The figures for bench/run: dump and analysis per heap size, and the readers side by side. */
    private static void writeResultFile(ResultFile result, List<Row> rows, String leakSetup) {
        for (Row row : rows) {
            String at = ", ~" + row.targetMib + " MiB live heap";
            String note = String.format(Locale.ROOT, "%.1f M objects, dump file %.0f MiB", row.objects / 1e6,
                    row.dumpBytes / MIB);
            result.figure("heap dump" + at, row.dumps.stream().map(Long::doubleValue).toList(), "ms", note);
            result.figure("Shark analysis" + at, row.analyses.stream().map(Long::doubleValue).toList(), "ms",
                    "the first run of the smallest heap has Shark's code cold");
            if (row.steps.error() == null && !row.steps.runs().isEmpty()) {
                List<Double> mapped = readerMillis(row.steps, "mapped");
                List<Double> file = readerMillis(row.steps, "file");
                List<Double> pairs = new ArrayList<>();
                for (int i = 0; i < Math.min(mapped.size(), file.size()); i++) {
                    pairs.add(mapped.get(i) / file.get(i));
                }
                result.ratio("Shark analysis, memory-mapped reader / file reader" + at,
                        (double) row.steps.median("mapped") / Math.max(1, row.steps.median("file")), null, 0,
                        "mapped " + row.steps.median("mapped") + " ms / file " + row.steps.median("file")
                                + " ms (medians, same dump)", pairs);
            }
            result.text("Signatures" + at, row.last.description());
        }
        result.detail("leakedConnections", leakSetup);
        result.detail("verdict", verdict(rows));
        result.write();
    }

    private static List<Double> readerMillis(ReaderComparison steps, String reader) {
        return steps.runs().stream().filter(r -> r.reader().equals(reader))
                .map(r -> (double) r.analysisMillis()).toList();
    }

    private static final String METHOD = "Method: one JVM; a fixture server observed by a `ConnectionTracker`"
            + " hosts a handler that puts itself into a static map, and a `ConnectionDriver` runs the cycles;"
            + " after the server saw every close and a full GC, the tracker's survivors go to `LeakTraces.find`"
            + " (what a failing verdict runs: `HotSpotDiagnosticMXBean.dumpHeap(live=true)`, then Shark 2.14's"
            + " `HeapAnalyzer` in the same JVM, one traced object per leaked connection). Ballast (maps of"
            + " strings and small records, plus 4 KiB buffers for ~9 % of it) is added to a static list until"
            + " the used heap after a full GC reaches each size; sizes run in ascending order in the same JVM,"
            + " so repetition 1 of the first size is the only one with Shark's code cold (not yet JIT-compiled);"
            + " `-Dbenchmark.args=\"--heaps 256\"` runs one size in a JVM of its own. Each repetition"
            + " dumps and analyses anew. Objects: total instances of a live class histogram at that size.";

    private static final String[] HEADER = {
        "Live heap", "Used after GC", "Objects", "Dump file", "Dump ms (median)", "Analysis ms (median)",
        "Total s (median)", "Dump ms (runs)", "Analysis ms (runs)", "Leaking / signatures"};
    private static final Set<Integer> LEFT = Set.of(7, 8);

    private static List<String[]> cells(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            long dump = BenchmarkSupport.median(row.dumps);
            long analysis = BenchmarkSupport.median(row.analyses);
            cells.add(new String[] {
                "~" + row.targetMib + " MiB",
                String.format(Locale.ROOT, "%.0f MiB", row.usedBytes / MIB),
                String.format(Locale.ROOT, "%.1f M", row.objects / 1e6),
                String.format(Locale.ROOT, "%.0f MiB", row.dumpBytes / MIB),
                String.valueOf(dump),
                String.valueOf(analysis),
                String.format(Locale.ROOT, "%.1f", (dump + analysis) / 1000.0),
                row.dumps.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                row.analyses.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                row.last.skipped() != null ? "skipped" : row.last.leakingObjects() + " / " + row.last.signatures().size()});
        }
        return cells;
    }

    private static String verdict(List<Row> rows) {
        StringBuilder text = new StringBuilder("Dump + analysis, median: ");
        text.append(rows.stream().map(row -> String.format(Locale.ROOT, "~%d MiB %.1f s", row.targetMib,
                (BenchmarkSupport.median(row.dumps) + BenchmarkSupport.median(row.analyses)) / 1000.0))
                .collect(Collectors.joining(", "))).append('.');
        rows.stream().filter(row -> row.targetMib == 256).findFirst().ifPresent(row -> {
            long total = BenchmarkSupport.median(row.dumps) + BenchmarkSupport.median(row.analyses);
            text.append(total < 5000 ? " Target (under 5 s at 256 MiB): met." : " Target (under 5 s at 256 MiB): MISSED.");
        });
        if (rows.size() > 1) {
            Row small = rows.get(0);
            Row large = rows.get(rows.size() - 1);
            text.append(String.format(Locale.ROOT, " ~%d MiB / ~%d MiB: objects x%.1f, dump x%.1f, analysis x%.1f.",
                    large.targetMib, small.targetMib, large.objects / (double) small.objects,
                    BenchmarkSupport.median(large.dumps) / (double) Math.max(1, BenchmarkSupport.median(small.dumps)),
                    BenchmarkSupport.median(large.analyses)
                            / (double) Math.max(1, BenchmarkSupport.median(small.analyses))));
        }
        return text.toString();
    }

    /** Adds ballast until the used heap after a full GC reaches {@code target} bytes; returns it. */
    private static long growBallast(long target) {
        long used = BenchmarkAccess.usedHeapAfterFullGc();
        double bytesPerChunk = 0;
        for (int step = 0; used < target * 0.98 && step < 20; step++) {
            int chunks = bytesPerChunk == 0 ? 16
                    : (int) Math.max(1, Math.ceil((target - used) / bytesPerChunk * (step < 2 ? 0.9 : 1.0)));
            for (int i = 0; i < chunks; i++) {
                addChunk();
            }
            long now = BenchmarkAccess.usedHeapAfterFullGc();
            bytesPerChunk = Math.max(1024, (now - used) / (double) chunks);
            used = now;
        }
        return used;
    }

    private static void addChunk() {
        Map<String, Customer> chunk = new HashMap<>(CUSTOMERS_PER_CHUNK * 2);
        for (int i = 0; i < CUSTOMERS_PER_CHUNK; i++) {
            long id = nextCustomer++;
            Address address = new Address((id * 7919 % 100_000) + " Main Street, flat " + (id % 97),
                    CITIES[(int) (id % CITIES.length)], (int) (id % 90_000) + 10_000);
            Customer customer = new Customer(id, "Customer " + id, address,
                    List.of(TAGS[(int) (id % TAGS.length)], TAGS[(int) ((id / TAGS.length) % TAGS.length)]),
                    new int[] {(int) id, (int) (id >> 3), (int) (id % 5), 42});
            chunk.put("customer-" + id, customer);
        }
        BALLAST.add(chunk);
        for (int i = 0; i < BUFFERS_PER_CHUNK; i++) {
            byte[] buffer = new byte[BUFFER_BYTES];
            buffer[i] = (byte) i;
            BALLAST.add(buffer);
        }
    }

    private record Row(int targetMib, long usedBytes, long objects, long dumpBytes, List<Long> dumps,
            List<Long> analyses, BenchmarkAccess.Traces last, ReaderComparison steps) {
    }

    /**
     * The readers compared on one dump: rounds of file, mapped, mapped, file, an order that gives
     * neither reader the warmer JIT or page cache.
     */
    private static List<String> readerOrder(int rounds) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            order.addAll(List.of("file", "mapped", "mapped", "file"));
        }
        return order;
    }

    /**
     * Where Shark's time goes, and what reading the dump through memory maps saves: one more dump of
     * the same survivors, analysed by the verdict's own code with Shark's {@code FileSourceProvider}
     * (a seek and a read per record) and with {@code MappedHprofFile} (what the verdict uses), in
     * the order file, mapped, mapped, file. Outside the medians above.
     */
    private static ReaderComparison compareReaders(ConnectionTracker tracker, int targetMib, Duration timeout,
            int rounds) {
        try {
            List<BenchmarkAccess.ReaderRun> runs = BenchmarkAccess.compareReaders(tracker,
                    "LeakTraceBenchmark-readers-" + targetMib + "MiB", timeout, readerOrder(rounds));
            return new ReaderComparison(runs, null);
        } catch (IOException | RuntimeException e) {
            return new ReaderComparison(List.of(), "not measured: " + e);
        }
    }

    private record ReaderComparison(List<BenchmarkAccess.ReaderRun> runs, String error) {

        long median(String reader) {
            return BenchmarkSupport.median(runs.stream().filter(r -> r.reader().equals(reader))
                    .map(BenchmarkAccess.ReaderRun::analysisMillis).toList());
        }

        String describe() {
            if (error != null) {
                return error;
            }
            StringBuilder text = new StringBuilder();
            for (BenchmarkAccess.ReaderRun run : runs) {
                text.append(String.format(Locale.ROOT, "%-6s %5d ms = %s%s%n", run.reader(), run.analysisMillis(),
                        run.stepMillis().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")),
                        run.skipped() == null ? "" : " (SKIPPED: " + run.skipped() + ")"));
            }
            text.append(String.format(Locale.ROOT, "mapped / file analysis time: %.2f (medians %d / %d ms)",
                    (double) median("mapped") / Math.max(1, median("file")), median("mapped"), median("file")));
            return text.toString();
        }
    }
}
