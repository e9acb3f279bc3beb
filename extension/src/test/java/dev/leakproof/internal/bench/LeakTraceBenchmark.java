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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long the leak-trace step of a failing verdict takes on a test JVM's realistic heap, and what
 * memory it needs: a live heap dump and its analysis by the production path
 * ({@code LeakTraces.analyseDump}, what {@code LeakTraces.find} runs after its dump), with 1000 leaked
 * TLS connections in a heap of ~256 MiB and then ~1 GiB of live data; then, on one more dump per
 * size, the production analysis and the Shark reference side by side. The ballast is mostly small
 * objects (maps of strings and small records, as an application's caches are), so an analysis has
 * millions of objects to index, not a few big arrays. Not a unit test: run it with bench/run
 * ({@code bench/run --only leak-trace}), or alone:
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=LeakTraceBenchmark -Dleakproof.extraJvmFlags=-Xmx4g
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=LeakTraceBenchmark -Dbenchmark.args="--heaps 256"
 * </pre>
 *
 * <p>Options: {@code --heaps 256,1024} (MiB of live heap, measured in ascending order in one JVM;
 * 1 GiB needs {@code -Xmx4g}), {@code --repetitions 3}, {@code --connections 1000},
 * {@code --concurrency 8}, {@code --provider jdk}, {@code --timeout 300} (seconds, the analysis time
 * limit), {@code --engine-rounds 2} (rounds of the production / Shark comparison on one more dump per
 * size, one analysis by each per round, the order swapped every round; 0 skips it),
 * {@code --leak-position last} (the leaked handlers behind the ballast for the path search, or
 * {@code first}: see {@link #HELD}), {@code --memory-probe 1000} (ms between the full GCs of one more
 * analysis by each engine that measures the live heap it holds; 0 skips it). The report goes
 * to {@code target/benchmarks/leak-trace-benchmark.md}; each size's JFR window (for
 * {@code bench/JfrTopFrames.java --from --to}) is printed and reported.
 */
public final class LeakTraceBenchmark {

    /**
     * The leak under trace and the live data a path search must wade through, reachable from one
     * static array only, in a fixed order: the leaked map (every connection's handler, forever) and
     * the ballast list. A search from the GC roots reads array elements in order, so {@code
     * --leak-position last} puts the leaked handlers behind every ballast map at the same depth (the
     * search reads all the ballast first) and {@code first} ahead of them, whatever JDK wrote the dump.
     * Two static fields would leave that order to HotSpot, which writes a class's static fields in a
     * different order on JDK 17 and on JDK 25: the same search then took 12 s on one and 0.3 s on the
     * other at ~1 GiB.
     */
    static final Object[] HELD = new Object[2];
    private static int leakedIndex;

    private static final int CUSTOMERS_PER_CHUNK = 1024;
    private static final int BUFFERS_PER_CHUNK = 8;
    private static final int BUFFER_BYTES = 4096;
    private static final String[] CITIES = new String[64];
    private static final String[] TAGS = new String[16];
    private static final double MIB = 1024.0 * 1024.0;
    private static long nextCustomer;
    /** Engines that have analysed once in this JVM: the first analysis runs with its code not yet compiled. */
    private static final Map<String, Boolean> FIRST_ANALYSIS = new ConcurrentHashMap<>();

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
            leaked().put(ctx.channel().id(), this);
            ctx.fireChannelActive();
        }
    }

    record Address(String street, String city, int zip) {
    }

    record Customer(long id, String name, Address address, List<String> tags, int[] scores) {
    }

    private LeakTraceBenchmark() {
    }

    @SuppressWarnings("unchecked")
    private static Map<ChannelId, LeakyHandler> leaked() {
        return (Map<ChannelId, LeakyHandler>) HELD[leakedIndex];
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ballast() {
        return (List<Object>) HELD[1 - leakedIndex];
    }

    /** Where the leaked map sits in {@link #HELD}: behind the ballast ("last") or ahead of it ("first"). */
    private static void placeLeak(String position) {
        leakedIndex = switch (position) {
            case "last" -> 1;
            case "first" -> 0;
            default -> throw new IllegalArgumentException("--leak-position must be last or first, was '" + position + "'");
        };
        HELD[leakedIndex] = new ConcurrentHashMap<ChannelId, LeakyHandler>();
        HELD[1 - leakedIndex] = new ArrayList<Object>();
    }

    public static void main(String[] args) {
        BenchmarkSupport.main("LeakTraceBenchmark", () -> run(args));
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("heaps", "256,1024");
        defaults.put("repetitions", "3");
        defaults.put("connections", "1000");
        defaults.put("concurrency", "8");
        defaults.put("provider", "jdk");
        defaults.put("timeout", "300");
        defaults.put("engine-rounds", "2");
        defaults.put("leak-position", "last");
        defaults.put("memory-probe", "1000");
        BenchmarkSupport.Options options = BenchmarkSupport.Options.parse(args, defaults);
        List<Integer> heaps = options.positives("heaps").stream().sorted().distinct().toList();
        int repetitions = options.positive("repetitions");
        int connections = options.positive("connections");
        int concurrency = options.positive("concurrency");
        TlsProvider provider = TlsProvider.parse(options.get("provider"));
        Duration timeout = Duration.ofSeconds(options.positive("timeout"));
        int engineRounds = nonNegative(options, "engine-rounds");
        placeLeak(options.get("leak-position"));
        int probeMillis = nonNegative(options, "memory-probe");

        long wallStart = System.nanoTime();
        ResultFile result = ResultFile.start("leak-trace", "Leak trace: heap dump + analysis, production vs Shark",
                options.settings());
        List<String> environment = BenchmarkSupport.environment(options);
        System.out.println("Leak trace benchmark: live heap dump + analysis of " + connections
                + " leaked TLS connections");
        environment.forEach(line -> System.out.println("  " + line));
        System.out.println();

        List<LeakTraceFigures.Size> sizes = new ArrayList<>();
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
                    stats.handshakesPerSecond(), leaked().size(), survivors);
            System.out.println(leakSetup);
            System.out.println();
            for (int target : heaps) {
                sizes.add(measure(tracker, target, repetitions, engineRounds, probeMillis, timeout));
            }
        }

        long wallMillis = Duration.ofNanos(System.nanoTime() - wallStart).toMillis();
        LeakTraceFigures figures = new LeakTraceFigures(sizes, connections);
        System.out.println(figures.text());
        System.out.println(BenchmarkSupport.SHARED_MACHINE_NOTE);
        System.out.printf(Locale.ROOT, "Wall time: %.1f s%n", wallMillis / 1000.0);
        String md = figures.markdown(leakSetup)
                + BenchmarkSupport.markdownFooter(LeakTraceBenchmark.class, options, environment, wallMillis);
        System.out.println("Report: " + BenchmarkSupport.writeReport("leak-trace-benchmark", md));
        figures.write(result, leakSetup);
        if (!figures.problems().isEmpty()) {
            System.out.println("PROBLEMS: " + String.join("; ", figures.problems()));
            return 3;
        }
        return 0;
    }

    private static int nonNegative(BenchmarkSupport.Options options, String name) {
        try {
            int n = Integer.parseInt(options.get(name).trim());
            if (n < 0) {
                throw new IllegalArgumentException("--" + name + " must be >= 0, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a number, got '" + options.get(name) + "'");
        }
    }

    /** One heap size: the repetitions of dump + production analysis, then the engines on one more dump. */
    private static LeakTraceFigures.Size measure(ConnectionTracker tracker, int target, int repetitions,
            int engineRounds, int probeMillis, Duration timeout) {
        String load = BenchmarkSupport.loadAverage();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long used = growBallast(target * 1024L * 1024L);
        BenchmarkSupport.Histogram histogram = BenchmarkSupport.histogram();
        System.out.printf(Locale.ROOT, "heap ~%d MiB (load before: %s): used after full GC %.1f MiB, %,d live objects"
                + " (%,d ballast customers), %d repetitions...%n", target, load, used / MIB,
                histogram.totalInstances(), nextCustomer, repetitions);
        String label = "LeakTraceBenchmark-" + target + "MiB";
        List<LeakTraceFigures.Run> runs = new ArrayList<>();
        for (int r = 1; r <= repetitions; r++) {
            LeakTraceFigures.Run run = analysed(tracker, label, BenchmarkAccess.PRODUCTION, timeout, null, 0);
            runs.add(run);
            System.out.println("  repetition " + r + ": " + run.describe());
        }
        System.out.println("  " + runs.get(runs.size() - 1).analysis().description().replace("\n", "\n  "));
        List<LeakTraceFigures.Run> engines = new ArrayList<>();
        List<LeakTraceFigures.Run> probes = new ArrayList<>();
        String engineError = null;
        if (engineRounds > 0 || probeMillis > 0) {
            BenchmarkAccess.Dump dump = null;
            try {
                dump = BenchmarkAccess.dump(tracker, label + "-engines");
                System.out.printf(Locale.ROOT, "  engines on one more dump (%.1f MiB, dump %d ms):%n",
                        dump.bytes() / MIB, dump.millis());
                for (int round = 1; round <= engineRounds; round++) {
                    // Swapped every round: neither engine always runs with the warmer JIT or page cache.
                    List<String> order = round % 2 == 1 ? List.of(BenchmarkAccess.PRODUCTION, BenchmarkAccess.SHARK)
                            : List.of(BenchmarkAccess.SHARK, BenchmarkAccess.PRODUCTION);
                    for (String engine : order) {
                        LeakTraceFigures.Run run = analysed(tracker, label, engine, timeout, dump, 0);
                        engines.add(run);
                        System.out.println("    round " + round + ", " + run.describe());
                    }
                }
                for (String engine : probeMillis > 0 ? List.of(BenchmarkAccess.PRODUCTION, BenchmarkAccess.SHARK)
                        : List.<String>of()) {
                    LeakTraceFigures.Run run = analysed(tracker, label, engine, timeout, dump, probeMillis);
                    probes.add(run);
                    System.out.println("    memory probe (a full GC every " + probeMillis + " ms), " + run.describe());
                }
            } catch (IOException | RuntimeException e) {
                engineError = "not measured: " + e;
                System.out.println("  engines " + engineError);
            } finally {
                if (dump != null) {
                    BenchmarkAccess.delete(dump);
                }
            }
        }
        Instant to = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        System.out.println("  JFR window: --from " + from + " --to " + to);
        System.out.println();
        return new LeakTraceFigures.Size(target, load, used, histogram.totalInstances(), runs, engines, probes,
                engineError, from, to);
    }

    /**
     * One analysis with its memory measured around it: of a new dump (deleted afterwards) when
     * {@code given} is null, else of {@code given}.
     */
    private static LeakTraceFigures.Run analysed(ConnectionTracker tracker, String label, String engine,
            Duration timeout, BenchmarkAccess.Dump given, int probeMillis) {
        BenchmarkAccess.Dump dump;
        if (given != null) {
            dump = given;
        } else {
            try {
                dump = BenchmarkAccess.dump(tracker, label);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the heap dump failed", e);
            }
        }
        try {
            boolean first = FIRST_ANALYSIS.putIfAbsent(engine, Boolean.TRUE) == null;
            AnalysisMemory memory = AnalysisMemory.open(probeMillis);
            BenchmarkAccess.Analysis analysis = BenchmarkAccess.analyse(engine, dump, timeout);
            AnalysisMemory.Figures figures = memory.close();
            return new LeakTraceFigures.Run(engine, first, dump.millis(), dump.bytes(), analysis, figures);
        } finally {
            if (given == null) {
                BenchmarkAccess.delete(dump);
            }
        }
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
        ballast().add(chunk);
        for (int i = 0; i < BUFFERS_PER_CHUNK; i++) {
            byte[] buffer = new byte[BUFFER_BYTES];
            buffer[i] = (byte) i;
            ballast().add(buffer);
        }
    }

}
