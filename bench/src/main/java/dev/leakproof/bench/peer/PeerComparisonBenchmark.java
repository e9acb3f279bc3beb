package dev.leakproof.bench.peer;

import dev.leakproof.bench.BenchResult;
import dev.leakproof.bench.Options;
import dev.leakproof.bench.TempDir;
import dev.leakproof.bench.verdict.LeakproofRuns;
import dev.leakproof.bench.verdict.RegistryHandler;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.TlsFixtureServer;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.netbeans.junit.NbTestCase;

/**
 * The peer side by side, in one JVM, on the same leak: NetBeans nbjunit's {@code NbTestCase.assertGC}
 * against Leakproof's verdict, on the clean and the leaky {@link RegistryHandler}, after the same
 * number of TLS cycles (default 200, concurrency 8, JDK provider: Leakproof's defaults). assertGC
 * judges one reference, as its users write it: the handler of the last connection. Leakproof judges
 * every connection. Both times run from the last client close to the verdict: for the peer, waiting
 * until the server saw every close, then {@code assertGC}; for Leakproof, the test's end to its
 * finished event. Each round runs the four in an order that alternates between rounds. Run it with
 * {@code -Xmx512m}: the peer's leaky path allocates towards an OutOfMemoryError, and takes as long as
 * the heap is large.
 *
 * <p>Options: {@code --connections 200}, {@code --rounds 3}.
 */
public final class PeerComparisonBenchmark {

    private static final int MESSAGE_LINES = 12;
    private static final Map<String, String> WHO = Map.of("nb-clean", "NbTestCase.assertGC, clean",
            "nb-leaky", "NbTestCase.assertGC, leaky", "lp-clean", "Leakproof, clean", "lp-leaky", "Leakproof, leaky");

    private PeerComparisonBenchmark() {
    }

    public static void main(String[] args) {
        Options.main("PeerComparisonBenchmark", () -> run(args));
    }

    /** {@code printed}: what the verdict wrote to the console while it ran, apart from the failure it threw. */
    private record Verdict(long millis, String message, String outcome, String printed) {
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("connections", "200");
        defaults.put("rounds", "3");
        Options options = Options.parse(args, defaults);
        int connections = options.positive("connections");
        int rounds = options.positive("rounds");
        BenchResult result = BenchResult.start("peer-nbjunit",
                "NetBeans NbTestCase.assertGC vs Leakproof, same JVM, same leak", options.settings());
        Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();
        for (String key : List.of("nb-clean", "lp-clean", "nb-leaky", "lp-leaky")) {
            verdicts.put(key, new ArrayList<>());
        }
        try (TempDir reportDir = TempDir.create("leakproof-peer-reports")) {
            Path reports = reportDir.path();
            for (int round = 1; round <= rounds; round++) {
                List<String> order = round % 2 == 1 ? List.of("nb-clean", "lp-clean", "lp-leaky", "nb-leaky")
                        : List.of("lp-clean", "nb-clean", "nb-leaky", "lp-leaky");
                for (String key : order) {
                    Verdict v = switch (key) {
                        case "nb-clean" -> assertGc(true, connections);
                        case "nb-leaky" -> assertGc(false, connections);
                        case "lp-clean" -> leakproof(LeakproofRuns.CleanTestCase.class, connections, reports);
                        default -> leakproof(LeakproofRuns.LeakyTestCase.class, connections, reports);
                    };
                    verdicts.get(key).add(v);
                    System.out.printf(Locale.ROOT, "round %d %-9s %6d ms  %s%n", round, key, v.millis, v.outcome);
                }
            }
        }

        String at = ", " + connections + " cycles";
        result.figure("NbTestCase.assertGC, clean" + at, millis(verdicts.get("nb-clean")), "ms",
                "one reference: the last connection's handler");
        result.figure("Leakproof, clean" + at, millis(verdicts.get("lp-clean")), "ms",
                "every connection; last close to test finished");
        result.figure("NbTestCase.assertGC, leaky" + at, millis(verdicts.get("nb-leaky")), "ms",
                "max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        result.figure("Leakproof, leaky" + at, millis(verdicts.get("lp-leaky")), "ms",
                "first round includes Shark's cold start");
        for (String side : List.of("clean", "leaky")) {
            List<Verdict> nb = verdicts.get("nb-" + side);
            List<Verdict> lp = verdicts.get("lp-" + side);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < nb.size(); i++) {
                ratios.add(lp.get(i).millis / (double) Math.max(1, nb.get(i).millis));
            }
            result.ratio("Leakproof / assertGC verdict time, " + side + at, BenchResult.median(ratios), null,
                    String.format(Locale.ROOT, "Leakproof %s ms / assertGC %s ms (medians)",
                            BenchResult.format(BenchResult.median(millis(lp))),
                            BenchResult.format(BenchResult.median(millis(nb)))), ratios);
        }
        result.text("NbTestCase.assertGC, leaky: message (first lines)",
                LeakproofRuns.firstLines(verdicts.get("nb-leaky").get(0).message, MESSAGE_LINES));
        result.text("Leakproof, leaky: message (first lines)",
                LeakproofRuns.firstLines(verdicts.get("lp-leaky").get(0).message, MESSAGE_LINES));
        result.text("NbTestCase.assertGC, clean: message", LeakproofRuns.firstLines(
                verdicts.get("nb-clean").get(0).message, MESSAGE_LINES));
        result.text("Leakproof, clean: message", LeakproofRuns.firstLines(
                verdicts.get("lp-clean").get(0).message, MESSAGE_LINES));
        for (String key : verdicts.keySet()) {
            String printed = verdicts.get(key).get(0).printed;
            result.text(WHO.get(key) + ": printed to the console (first lines; Leakproof: the whole test class run)",
                    printed.isBlank() ? "(nothing)" : LeakproofRuns.firstLines(printed.strip(), MESSAGE_LINES));
        }
        List<Object> runs = new ArrayList<>();
        verdicts.forEach((key, list) -> list.forEach(v -> runs.add(Map.of("verdict", key, "millis", v.millis,
                "outcome", v.outcome))));
        result.detail("runs", runs);

        String problems = problems(verdicts);
        result.detail("problems", problems);
        if (!problems.isEmpty()) {
            result.text("Problems", problems);
            System.out.println("PROBLEMS: " + problems);
        }
        System.out.println("Result: " + result.write());
        return problems.isEmpty() ? 0 : Options.PROBLEMS;
    }

    /** Cycles through a fixture server hosting the handler, then assertGC on the last handler made. */
    private static Verdict assertGc(boolean clean, int connections) {
        AtomicReference<WeakReference<RegistryHandler>> last = new AtomicReference<>();
        DriverStats stats;
        long start;
        try (TlsFixtureServer server = TlsFixtureServer.builder().handler(() -> {
                    RegistryHandler handler = new RegistryHandler(clean);
                    last.set(new WeakReference<>(handler));
                    return handler;
                }).start();
                ConnectionDriver driver = ConnectionDriver.forServer(server).cycles(connections)
                        .exchange(Exchange.handshakeOnly()).build()) {
            stats = driver.run();
            start = System.nanoTime();
            if (!server.awaitNoOpenConnections(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the server still holds connections: " + server.counts());
            }
            if (stats.failures() > 0) {
                throw new IllegalStateException(stats.failures() + " cycles failed: " + stats.failuresByCause());
            }
            String message = null;
            String outcome = "pass";
            Printed printed = Printed.start();
            try {
                NbTestCase.assertGC("the handler of the last connection", last.get());
            } catch (AssertionError e) {
                message = e.getClass().getName() + ": " + e.getMessage();
                outcome = "fail";
            } catch (OutOfMemoryError e) {
                message = "OutOfMemoryError: " + e.getMessage();
                outcome = "OutOfMemoryError";
            } finally {
                printed.stop();
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return new Verdict(millis, message, outcome, printed.text());
        } finally {
            RegistryHandler.REGISTRY.clear();
        }
    }

    private static Verdict leakproof(Class<?> testCase, int connections, Path reports) {
        Printed printed = Printed.start();
        LeakproofRuns.Run run;
        try {
            run = LeakproofRuns.run(testCase, connections, reports);
        } finally {
            printed.stop();
        }
        return new Verdict(run.closeToFinishedMillis(), run.message(), run.outcome() + " (verdictMillis "
                + run.verdictMillis() + (run.dumpMillis() == null ? "" : ", dump " + run.dumpMillis() + ", analysis "
                + run.analysisMillis()) + ")", printed.text());
    }

    private static String problems(Map<String, List<Verdict>> verdicts) {
        List<String> problems = new ArrayList<>();
        verdicts.get("nb-clean").stream().filter(v -> v.message != null).findFirst()
                .ifPresent(v -> problems.add("assertGC failed on the clean handler"));
        verdicts.get("lp-clean").stream().filter(v -> v.message != null).findFirst()
                .ifPresent(v -> problems.add("Leakproof failed the clean handler"));
        verdicts.get("nb-leaky").stream().filter(v -> v.message == null).findFirst()
                .ifPresent(v -> problems.add("assertGC passed the leaky handler"));
        verdicts.get("lp-leaky").stream().filter(v -> v.message == null).findFirst()
                .ifPresent(v -> problems.add("Leakproof passed the leaky handler"));
        return String.join("; ", problems);
    }

    private static List<Double> millis(List<Verdict> list) {
        return list.stream().map(v -> (double) v.millis).toList();
    }
}
