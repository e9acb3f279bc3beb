package dev.leakproof.bench.jmh;

import dev.leakproof.bench.BenchResult;
import dev.leakproof.bench.Options;
import dev.leakproof.fixture.TlsProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What tracking costs a connect/close cycle: {@link ConnectCloseCycles} with the extension's tracker
 * against the same server without it, for each provider and concurrency. JMH measures (a fork per
 * run, warmup, iterations); this main only orders the runs so that drift on a shared machine cancels:
 * each round runs one untracked and one tracked fork back to back for every setting, and the next
 * round swaps the order (untracked first, then tracked first, ...). The ratio is tracked / untracked
 * throughput per round, and its median over the rounds.
 *
 * <p>Options: {@code --providers JDK,OPENSSL}, {@code --concurrency 1,8}, {@code --rounds 3} (forks
 * per setting and side), {@code --warmup-iterations 2}, {@code --warmup-time 2} (s),
 * {@code --iterations 3}, {@code --time 2} (s), {@code --batch 64} (cycles per invocation).
 */
public final class TrackingOverheadBenchmark {

    private static final BenchResult.Goal GOAL = BenchResult.Goal.atLeast(0.95);

    private TrackingOverheadBenchmark() {
    }

    public static void main(String[] args) {
        Options.main("TrackingOverheadBenchmark", () -> run(args));
    }

    private static int run(String[] args) throws RunnerException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("providers", "JDK,OPENSSL");
        defaults.put("concurrency", "1,8");
        defaults.put("rounds", "3");
        defaults.put("warmup-iterations", "2");
        defaults.put("warmup-time", "2");
        defaults.put("iterations", "3");
        defaults.put("time", "2");
        defaults.put("batch", "64");
        Options options = Options.parse(args, defaults);
        List<Integer> concurrencies = options.positives("concurrency");
        int rounds = options.positive("rounds");
        int batch = options.positive("batch");
        BenchResult result = BenchResult.start("tracking-overhead",
                "Connect/close cycles, tracked vs untracked (JMH)", options.settings());

        List<TlsProvider> providers = new ArrayList<>();
        for (String name : options.get("providers").split(",")) {
            TlsProvider provider = TlsProvider.parse(name.trim());
            if (provider.isAvailable()) {
                providers.add(provider);
            } else {
                result.text("Skipped: " + provider, "not available: " + provider.unavailabilityCause());
            }
        }

        // score[setting][tracked ? 1 : 0] = cycles/s per round
        Map<String, List<List<Double>>> scores = new LinkedHashMap<>();
        Map<String, List<List<Double>>> errors = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (TlsProvider provider : providers) {
                for (int concurrency : concurrencies) {
                    String setting = provider + ", concurrency " + concurrency;
                    List<List<Double>> sides = scores.computeIfAbsent(setting, k -> List.of(new ArrayList<>(),
                            new ArrayList<>()));
                    List<List<Double>> sideErrors = errors.computeIfAbsent(setting, k -> List.of(new ArrayList<>(),
                            new ArrayList<>()));
                    boolean trackedFirst = round % 2 == 0;
                    for (boolean tracked : trackedFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        System.out.printf(Locale.ROOT, "%n== round %d of %d: %s, %s%n", round, rounds, setting,
                                tracked ? "tracked" : "untracked");
                        Result<?> score = fork(options, provider, concurrency, tracked, batch);
                        sides.get(tracked ? 1 : 0).add(score.getScore() * batch);
                        sideErrors.get(tracked ? 1 : 0).add(score.getScoreError() * batch);
                    }
                }
            }
        }

        List<Object> runs = new ArrayList<>();
        for (Map.Entry<String, List<List<Double>>> e : scores.entrySet()) {
            List<Double> untracked = e.getValue().get(0);
            List<Double> tracked = e.getValue().get(1);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < tracked.size(); i++) {
                ratios.add(tracked.get(i) / untracked.get(i));
            }
            double ratio = BenchResult.median(ratios);
            String sides = String.format(Locale.ROOT, "tracked %s / untracked %s cycles/s (medians of %d forks)",
                    BenchResult.format(BenchResult.median(tracked)), BenchResult.format(BenchResult.median(untracked)),
                    tracked.size());
            result.ratio("tracked / untracked cycles/s, " + e.getKey(), ratio, GOAL, sides, ratios);
            result.figure("untracked cycles/s, " + e.getKey(), untracked, "cycles/s", "JMH score per fork");
            result.figure("tracked cycles/s, " + e.getKey(), tracked, "cycles/s", "JMH score per fork");
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("setting", e.getKey());
            run.put("untrackedCyclesPerSecond", untracked);
            run.put("untrackedScoreError", errors.get(e.getKey()).get(0));
            run.put("trackedCyclesPerSecond", tracked);
            run.put("trackedScoreError", errors.get(e.getKey()).get(1));
            run.put("ratios", ratios);
            runs.add(run);
            System.out.printf(Locale.ROOT, "%s: tracked/untracked %.3f (rounds %s); %s%n", e.getKey(), ratio,
                    BenchResult.join(ratios), sides);
        }
        result.detail("runs", runs);
        result.detail("method", "JMH 1.37, Mode.Throughput, one invocation = " + batch + " cycles (connect, full TLS"
                + " handshake, ping echoed, client close) by a ConnectionDriver; 1 fork per run, forks alternate"
                + " untracked/tracked per setting and swap order each round; score error = JMH's 99.9% half-width.");
        System.out.println("Result: " + result.write());
        return 0;
    }

    private static Result<?> fork(Options options, TlsProvider provider, int concurrency, boolean tracked, int batch)
            throws RunnerException {
        ChainedOptionsBuilder jmh = new OptionsBuilder()
                .include(ConnectCloseCycles.class.getName() + ".cycles")
                .param("provider", provider.name())
                .param("concurrency", String.valueOf(concurrency))
                .param("tracked", String.valueOf(tracked))
                .param("batch", String.valueOf(batch))
                .forks(1)
                .warmupIterations(options.positive("warmup-iterations"))
                .warmupTime(TimeValue.seconds(options.positive("warmup-time")))
                .measurementIterations(options.positive("iterations"))
                .measurementTime(TimeValue.seconds(options.positive("time")))
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(jmh.build()).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one JMH result, got " + results.size());
        }
        return results.iterator().next().getPrimaryResult();
    }
}
