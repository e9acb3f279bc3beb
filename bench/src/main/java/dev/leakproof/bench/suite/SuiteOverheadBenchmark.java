package dev.leakproof.bench.suite;

import dev.leakproof.bench.BenchResult;
import dev.leakproof.bench.Json;
import dev.leakproof.bench.Options;
import dev.leakproof.bench.TempDir;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The sample server's leak suite with the extension on and off: wall time ratio. Each run is a JVM of
 * its own ({@link SuiteRun}), so both sides start equally cold and no static state of one run (the
 * suite's static hub keeps a listener per run) reaches the next. Runs go in pairs, on/off then off/on
 * (ABBA), and the ratio is on / off per pair, then the median. Fair by construction: the same test
 * methods (the originals, called by {@link WithoutLeakproof} for "off"), the same cycles, concurrency,
 * provider and close style (checked against the extension's report of each "on" run), the same
 * Launcher, the same JVM flags. The time is the Launcher's execution, not JVM start.
 *
 * <p>Options: {@code --pairs 3}, {@code --classes} (the suite), {@code --methods} (only these test methods;
 * all by default), {@code --timeout 900} (s per run).
 */
public final class SuiteOverheadBenchmark {

    private static final BenchResult.Goal GOAL = BenchResult.Goal.atMost(1.5);
    private static final String SUITE = "dev.leakproof.sample.chat.ChatServerLeakTests,"
            + "dev.leakproof.sample.chat.ChatServerIdleLeakTests";

    private SuiteOverheadBenchmark() {
    }

    public static void main(String[] args) {
        Options.main("SuiteOverheadBenchmark", () -> run(args));
    }

    private static int run(String[] args) throws IOException, InterruptedException {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("pairs", "3");
        defaults.put("classes", SUITE);
        defaults.put("methods", "");
        defaults.put("timeout", "900");
        Options options = Options.parse(args, defaults);
        int pairs = options.positive("pairs");
        int timeout = options.positive("timeout");
        BenchResult result = BenchResult.start("suite-overhead",
                "Sample server leak suite, extension on vs off", options.settings());

        List<Map<String, Object>> on = new ArrayList<>();
        List<Map<String, Object>> off = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (TempDir work = TempDir.create("leakproof-suite")) {
            for (int pair = 1; pair <= pairs; pair++) {
                List<String> order = pair % 2 == 1 ? List.of("on", "off") : List.of("off", "on");
                for (String mode : order) {
                    System.out.printf(Locale.ROOT, "%n== pair %d of %d: extension %s%n", pair, pairs, mode);
                    Path out = work.path().resolve(mode + "-" + pair + ".json");
                    Map<String, Object> run = child(mode, options.get("classes"), options.get("methods"), out, timeout);
                    run.put("pair", pair);
                    ("on".equals(mode) ? on : off).add(run);
                    Number failed = Json.number(run, "failed");
                    if (failed != null && failed.longValue() > 0) {
                        problems.add("pair " + pair + ", extension " + mode + ": " + failed + " failed: "
                                + failures(run));
                    }
                }
                if (!Objects.equals(on.get(pair - 1).get("settings"), off.get(pair - 1).get("settings"))) {
                    problems.add("pair " + pair + ": settings differ, on " + on.get(pair - 1).get("settings")
                            + " vs off " + off.get(pair - 1).get("settings"));
                }
            }
        }

        List<Double> onMillis = millis(on, "suiteMillis");
        List<Double> offMillis = millis(off, "suiteMillis");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < onMillis.size(); i++) {
            ratios.add(onMillis.get(i) / offMillis.get(i));
        }
        result.ratio("suite wall time, extension on / off", BenchResult.median(ratios), GOAL,
                String.format(Locale.ROOT, "on %s s / off %s s (medians of %d runs each)",
                        BenchResult.format(BenchResult.median(onMillis) / 1000),
                        BenchResult.format(BenchResult.median(offMillis) / 1000), onMillis.size()), ratios);
        result.figure("suite, extension on", onMillis, "ms", "Launcher execution, JVM start excluded");
        result.figure("suite, extension off", offMillis, "ms", "Launcher execution, JVM start excluded");
        for (String name : names(on, "classes")) {
            List<Double> a = entryMillis(on, "classes", name);
            List<Double> b = entryMillis(off, "classes", name);
            List<Double> classRatios = new ArrayList<>();
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                classRatios.add(a.get(i) / b.get(i));
            }
            result.ratio(name + ", on / off", BenchResult.median(classRatios), null,
                    String.format(Locale.ROOT, "on %s ms / off %s ms", BenchResult.format(BenchResult.median(a)),
                            BenchResult.format(BenchResult.median(b))), classRatios);
        }
        List<Object> perTest = new ArrayList<>();
        for (String name : names(on, "tests")) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("test", name);
            t.put("onMillis", entryMillis(on, "tests", name));
            t.put("offMillis", entryMillis(off, "tests", name));
            perTest.add(t);
        }
        result.detail("perTest", perTest);
        result.detail("runs", Map.of("on", on, "off", off));
        result.detail("problems", String.join("; ", problems));
        if (!problems.isEmpty()) {
            result.text("Problems", String.join("\n", problems));
            System.out.println("PROBLEMS: " + problems);
        }
        System.out.printf(Locale.ROOT, "on/off: %.2f (pairs %s)%n", BenchResult.median(ratios), BenchResult.join(ratios));
        System.out.println("Result: " + result.write());
        return problems.isEmpty() ? 0 : Options.PROBLEMS;
    }

    /** One {@link SuiteRun} in a JVM of its own, with this JVM's flags and class path; killed at the timeout. */
    private static Map<String, Object> child(String mode, String classes, String methods, Path out, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Dbench.result=")).forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SuiteRun.class.getName());
        command.addAll(List.of("--mode", mode, "--classes", classes, "--methods", methods, "--out", out.toString()));
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the suite run (extension " + mode + ") did not finish in "
                    + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the suite run (extension " + mode + ") exited with " + process.exitValue());
        }
        return new LinkedHashMap<>(Json.object(Json.read(out)));
    }

    private static String failures(Map<String, Object> run) {
        List<String> failed = new ArrayList<>();
        for (String key : List.of("classes", "tests")) {
            for (Object entry : Json.list(run.get(key))) {
                if (!"SUCCESSFUL".equals(Json.string(entry, "status"))) {
                    failed.add(Json.string(entry, "name") + " " + Json.string(entry, "failure"));
                }
            }
        }
        return String.join(", ", failed);
    }

    private static List<Double> millis(List<Map<String, Object>> runs, String key) {
        return runs.stream().map(r -> Json.number(r, key).doubleValue()).toList();
    }

    private static List<String> names(List<Map<String, Object>> runs, String key) {
        return runs.isEmpty() ? List.of() : Json.list(runs.get(0).get(key)).stream()
                .map(e -> Json.string(e, "name")).toList();
    }

    private static List<Double> entryMillis(List<Map<String, Object>> runs, String key, String name) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
            for (Object entry : Json.list(run.get(key))) {
                if (name.equals(Json.string(entry, "name"))) {
                    values.add(Json.number(entry, "millis").doubleValue());
                }
            }
        }
        return values;
    }
}
