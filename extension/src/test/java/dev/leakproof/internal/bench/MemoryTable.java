package dev.leakproof.internal.bench;

import dev.leakproof.fixture.ClientProcess;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.fixture.bench.ResultFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory-per-connection table ("how much memory does one open TLS connection take, and does it come back?")
 * for this project's fixture server: server heap per open connection for the JDK and OpenSSL
 * providers at 1k, 5k and 10k connections, each handshaken and through one exchange
 * ({@code > ping} / {@code < ping}, the built-in echo), with the client in another JVM
 * ({@link ClientProcess}) so that only the server's half of each connection is in this heap.
 * Not a unit test: run it with
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl extension -Pbenchmark -DskipTests verify -Dbenchmark.class=MemoryTable \
 *     -Dleakproof.extraJvmFlags="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
 * </pre>
 *
 * <p>Options: {@code --providers jdk,openssl}, {@code --counts 1000,5000,10000}, {@code --prime 200}
 * (connections opened and closed once per provider before the first reading, so that one-time caches
 * of the first connections are not counted). The report goes to {@code target/benchmarks/memory-table.md}.
 */
public final class MemoryTable {

    private static final LineScript PING = LineScript.of("> ping", "< ping");
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final double MIB = 1024.0 * 1024.0;

    private MemoryTable() {
    }

    public static void main(String[] args) {
        BenchmarkSupport.main("MemoryTable", () -> run(args));
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("providers", "jdk,openssl");
        defaults.put("counts", "1000,5000,10000");
        defaults.put("prime", "200");
        BenchmarkSupport.Options options = BenchmarkSupport.Options.parse(args, defaults);
        List<TlsProvider> providers = new ArrayList<>();
        for (String name : options.get("providers").split(",")) {
            providers.add(TlsProvider.parse(name));
        }
        List<Integer> counts = options.positives("counts");
        int prime = options.positive("prime");

        long wallStart = System.nanoTime();
        ResultFile result = ResultFile.start("memory-table", "Memory per open TLS connection (fixture server)",
                options.settings());
        List<String> environment = BenchmarkSupport.environment(options);
        System.out.println("Memory per open TLS connection at the fixture server (client in another JVM)");
        environment.forEach(line -> System.out.println("  " + line));
        System.out.println();

        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Measured> measured = new ArrayList<>();
        for (TlsProvider provider : providers) {
            if (!provider.isAvailable()) {
                notes.add(provider + " skipped: not available (" + provider.unavailabilityCause() + ")");
                continue;
            }
            measure(provider, counts, prime, rows, notes, measured);
        }

        long wallMillis = Duration.ofNanos(System.nanoTime() - wallStart).toMillis();
        System.out.println(BenchmarkSupport.textTable(HEADER, rows, LEFT));
        notes.forEach(System.out::println);
        System.out.println(BenchmarkSupport.SHARED_MACHINE_NOTE);
        System.out.printf(Locale.ROOT, "Wall time: %.1f s%n", wallMillis / 1000.0);

        StringBuilder md = new StringBuilder("# Memory per open TLS connection (fixture server)\n\n");
        md.append(BenchmarkSupport.SHARED_MACHINE_NOTE).append("\n\n");
        md.append(BenchmarkSupport.markdownTable(HEADER, rows, LEFT)).append('\n');
        notes.forEach(n -> md.append(n).append("\n\n"));
        md.append(method()).append("\n\n");
        md.append(BenchmarkSupport.markdownFooter(MemoryTable.class, options, environment, wallMillis));
        System.out.println("Report: " + BenchmarkSupport.writeReport("memory-table", md.toString()));
        writeResultFile(result, measured, notes);
        return 0;
    }

    /** One row's numbers, for the result file. */
    private record Measured(TlsProvider provider, int open, double heapPerConnection, double residualPerConnection,
            double rssPerConnection) {
    }

    /** The figures for bench/run: heap per open connection and what stays after close, per provider and N. */
    private static void writeResultFile(ResultFile result, List<Measured> measured, List<String> notes) {
        for (Measured m : measured) {
            String at = String.format(Locale.ROOT, ", %s, %,d open", m.provider, m.open);
            result.figure("server heap per open connection" + at, List.of(m.heapPerConnection), "bytes", "");
            result.figure("heap left after close, per connection" + at, List.of(m.residualPerConnection), "bytes", "");
            if (Double.isFinite(m.rssPerConnection)) {
                result.figure("RSS per connection past the peak" + at, List.of(m.rssPerConnection), "bytes", "");
            }
        }
        notes.forEach(n -> result.text("Note", n));
        result.write();
    }

    private static String method() {
        boolean pretouched = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch");
        return "Method: one fixture server per provider (built-in line echo, 2 event loops, idle timeout raised"
                + " to 1 h so that held connections stay open) and one `ClientProcess` (a separate JVM, -Xmx512m"
                + " -XX:+UseSerialGC) that opens and holds the connections, each through a full TLS handshake and"
                + " one exchange `> ping` / `< ping`. A priming round opens and closes connections once before the"
                + " first reading. For each N, in ascending order on the same server: used heap after two forced"
                + " full GCs (DiagnosticCommand gcRun) with 0 connections open (\"before\"), then with N open, then"
                + " after all N closed and the server saw every close. Per connection = (heap with N open - heap"
                + " before) / N. RSS per connection = growth of this JVM's resident set (`/proc/self/status`)"
                + " from 0 to N open, divided by the connections beyond the previous peak (the priming round or"
                + " the previous N): malloc keeps what closed connections freed and hands it to the next ones,"
                + " so RSS grows only past the peak. "
                + (pretouched
                        ? "The heap is fixed and pre-touched (-Xms = -Xmx, -XX:+AlwaysPreTouch), so this is memory"
                                + " outside the Java heap: OpenSSL's native SSL objects, direct buffers, metaspace."
                        : "The heap was not pre-touched, so this mixes native memory with heap pages the JVM"
                                + " committed or gave back: a rough figure only (run with -Xms2g -Xmx2g"
                                + " -XX:+AlwaysPreTouch for memory outside the heap).")
                + " Client heap: `jcmd <client pid> GC.run` then `GC.heap_info`, used after that full GC, of its"
                + " 512 MiB.";
    }

    private static final String[] HEADER = {
        "Provider", "N open", "Heap before", "Heap with N open", "Per connection", "Heap after close",
        "After - before", "RSS per connection past peak", "Client heap with N open", "Open time"};
    private static final Set<Integer> LEFT = Set.of(0);

    private static void measure(TlsProvider provider, List<Integer> counts, int prime, List<String[]> rows,
            List<String> notes, List<Measured> measured) {
        System.out.println(provider + ": starting the fixture server and the client JVM");
        try (TlsFixtureServer server = TlsFixtureServer.builder().provider(provider)
                .idleTimeout(Duration.ofHours(1)).start();
                ClientProcess client = ClientProcess.start(server)) {
            System.out.printf(Locale.ROOT, "  priming: open and close %d connections%n", prime);
            client.open(prime, PING);
            settle(server, prime);
            client.closeAll();
            settle(server, 0);
            int peak = prime;
            // Looked up once the client answered: right after start it may not have exec'd java yet.
            Optional<ProcessHandle> clientJvm = ProcessHandle.current().children()
                    .filter(p -> commandLine(p).contains("HoldingClientMain")).findFirst();
            for (int n : counts) {
                long before = BenchmarkAccess.usedHeapAfterFullGc();
                long rssBefore = BenchmarkSupport.residentBytes();
                long openStart = System.nanoTime();
                try {
                    client.open(n, PING);
                } catch (RuntimeException e) {
                    String note = String.format(Locale.ROOT, "%s, N=%d: the client JVM could not hold the connections"
                            + " (%s). ClientProcess runs it with -Xmx512m; it would need more heap (or"
                            + " more descriptors) for this N. Server: %s", provider, n, e.getMessage(), server.counts());
                    System.out.println("  " + note);
                    notes.add(note);
                    return;
                }
                double openSeconds = (System.nanoTime() - openStart) / 1e9;
                settle(server, n);
                long open = BenchmarkAccess.usedHeapAfterFullGc();
                long rssOpen = BenchmarkSupport.residentBytes();
                String clientHeap = clientJvm.map(MemoryTable::clientUsedHeap).orElse("n/a");
                client.closeAll();
                settle(server, 0);
                long after = BenchmarkAccess.usedHeapAfterFullGc();
                double perConnection = (open - before) / (double) n;
                String[] row = {
                    provider.name(),
                    String.format(Locale.ROOT, "%,d", n),
                    String.format(Locale.ROOT, "%.1f MiB", before / MIB),
                    String.format(Locale.ROOT, "%.1f MiB", open / MIB),
                    BenchmarkSupport.kib(perConnection),
                    String.format(Locale.ROOT, "%.1f MiB", after / MIB),
                    String.format(Locale.ROOT, "%+.2f MiB (%+.0f B/conn)", (after - before) / MIB,
                            (after - before) / (double) n),
                    rssBefore < 0 || n <= peak ? "n/a"
                            : BenchmarkSupport.kib((rssOpen - rssBefore) / (double) (n - peak)),
                    clientHeap,
                    String.format(Locale.ROOT, "%.1f s", openSeconds)};
                rows.add(row);
                measured.add(new Measured(provider, n, perConnection, (after - before) / (double) n,
                        rssBefore < 0 || n <= peak ? Double.NaN : (rssOpen - rssBefore) / (double) (n - peak)));
                peak = Math.max(peak, n);
                System.out.printf(Locale.ROOT, "  N=%d: heap before %s, with N open %s, per connection %s, after close"
                        + " %s; RSS/conn %s; client heap %s; opened in %s%n", n, row[2], row[3], row[4], row[5],
                        row[7], clientHeap, row[9]);
            }
        }
        System.out.println();
    }

    /** Waits until the server holds exactly {@code open} connections and its event loops are idle. */
    private static void settle(TlsFixtureServer server, int open) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (server.counts().open() != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server holds " + server.counts().open() + " connections, expected "
                        + open + " after " + SETTLE.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (open == 0 && !server.awaitNoOpenConnections(SETTLE)) {
            throw new IllegalStateException("connections still closing: " + server.counts());
        }
        server.awaitEventLoops(SETTLE);
    }

    /**
     * A child's command line from {@code /proc}: {@code ProcessHandle.Info.commandLine()} is empty on
     * Linux when argv[0] and the resolved executable differ (a symlinked java.home).
     */
    private static String commandLine(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    private static final Pattern GENERATION = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** The client JVM's used heap after a full GC, read with jcmd; "n/a" where jcmd is not there. */
    private static String clientUsedHeap(ProcessHandle clientJvm) {
        String pid = Long.toString(clientJvm.pid());
        if (jcmd(pid, "GC.run") == null) {
            return "n/a";
        }
        String info = jcmd(pid, "GC.heap_info");
        if (info == null) {
            return "n/a";
        }
        long usedKib = 0;
        for (String line : info.split("\n")) {
            // Serial GC: "def new generation   total ...K, used ...K" and "tenured generation ..."
            if (line.contains("generation")) {
                Matcher m = GENERATION.matcher(line);
                if (m.find()) {
                    usedKib += Long.parseLong(m.group(2));
                }
            }
        }
        return String.format(Locale.ROOT, "%.0f MiB of 512", usedKib / 1024.0);
    }

    private static String jcmd(String pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), pid, command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
