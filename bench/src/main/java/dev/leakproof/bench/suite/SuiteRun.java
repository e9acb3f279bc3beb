package dev.leakproof.bench.suite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.bench.Json;
import dev.leakproof.bench.Options;
import dev.leakproof.bench.TempDir;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One run of the suite in this JVM, through the JUnit Platform Launcher: {@code --mode on} runs the
 * test classes as they are (with {@code @DetectConnectionLeaks}), {@code --mode off} runs the same
 * classes through {@link WithoutLeakproof}. Writes the wall time of the Launcher's execution, each
 * class's and each test's time and outcome, and the settings used, to {@code --out}.
 * {@link SuiteOverheadBenchmark} starts one JVM per run.
 *
 * <p>Options: {@code --mode on|off}, {@code --classes a.B,c.D}, {@code --methods m,n} (only these test
 * methods; all by default), {@code --out file.json}.
 */
public final class SuiteRun {

    private SuiteRun() {
    }

    public static void main(String[] args) {
        Options.main("SuiteRun", () -> run(args));
    }

    private static int run(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("mode", "on");
        defaults.put("classes", "");
        defaults.put("methods", "");
        defaults.put("out", "suite-run.json");
        Options options = Options.parse(args, defaults);
        boolean on = switch (options.get("mode")) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--mode on or off, not " + options.get("mode"));
        };
        List<String> classes = List.of(options.get("classes").split(","));
        Set<String> methods = options.get("methods").isBlank() ? Set.of() : Set.of(options.get("methods").split(","));
        long jvmStartToRun = ManagementFactory.getRuntimeMXBean().getUptime();

        try (TempDir reports = TempDir.create("leakproof-suite-reports")) {
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                    .configurationParameter(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME,
                            reports.path().toString());
            if (on) {
                request.selectors(selectors(classes, methods));
            } else {
                System.setProperty(WithoutLeakproof.CLASSES, String.join(",", classes));
                System.setProperty(WithoutLeakproof.METHODS, String.join(",", methods));
                request.selectors(selectClass(WithoutLeakproof.class));
            }
            LauncherDiscoveryRequest discovery = request.build();
            Launcher launcher = LauncherFactory.create();
            Timings timings = new Timings();
            long start = System.nanoTime();
            launcher.execute(discovery, timings);
            long suiteMillis = (System.nanoTime() - start) / 1_000_000;

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", options.get("mode"));
            out.put("suiteMillis", suiteMillis);
            out.put("jvmStartToRunMillis", jvmStartToRun);
            out.put("classes", timings.classes);
            out.put("tests", timings.tests);
            out.put("succeeded", timings.tests.stream().filter(t -> "SUCCESSFUL".equals(t.get("status"))).count());
            out.put("failed", timings.tests.stream().filter(t -> !"SUCCESSFUL".equals(t.get("status"))).count()
                    + timings.classes.stream().filter(t -> !"SUCCESSFUL".equals(t.get("status"))).count());
            out.put("settings", on ? settingsFromReports(reports.path(), classes) : WithoutLeakproof.SETTINGS_USED);
            Json.write(Path.of(options.get("out")), out);
            System.out.printf("suite %s: %d ms, %s tests passed, %s failed%n", options.get("mode"), suiteMillis,
                    out.get("succeeded"), out.get("failed"));
        }
        return 0;
    }

    /** The classes, or only the named methods of them. */
    private static List<DiscoverySelector> selectors(List<String> classes, Set<String> methods) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String name : classes) {
            Class<?> testClass = ReflectionSupport.tryToLoadClass(name.trim()).getOrThrow(
                    e -> new IllegalArgumentException("no test class " + name, e));
            if (methods.isEmpty()) {
                selectors.add(selectClass(testClass));
                continue;
            }
            for (Method m : testClass.getDeclaredMethods()) {
                if (methods.contains(m.getName())) {
                    selectors.add(selectMethod(testClass, m));
                }
            }
        }
        return selectors;
    }

    /** The settings the extension used, from its JSON report of each class. */
    private static Map<String, Object> settingsFromReports(Path reports, List<String> classes) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String c : classes) {
            Path json = reports.resolve(c.trim() + ".json");
            if (!Files.exists(json)) {
                settings.put(c.trim(), "no report");
                continue;
            }
            Map<String, Object> s = Json.object(Json.object(Json.read(json)).get("settings"));
            Map<String, Object> used = new LinkedHashMap<>();
            used.put("cycles", s.get("cycles"));
            used.put("concurrency", s.get("concurrency"));
            used.put("provider", s.get("provider"));
            used.put("closeStyle", s.get("closeStyle"));
            settings.put(c.trim(), used);
        }
        return settings;
    }

    /** Start and finish of each class and each test; keys are "Class.method" in both modes. */
    private static final class Timings implements TestExecutionListener {
        final List<Map<String, Object>> classes = new ArrayList<>();
        final List<Map<String, Object>> tests = new ArrayList<>();
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            this.plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Long start = started.get(id.getUniqueId());
            long millis = start == null ? -1 : (System.nanoTime() - start) / 1_000_000;
            String key = key(id);
            if (key == null) {
                return;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", key);
            entry.put("millis", millis);
            entry.put("status", result.getStatus().name());
            result.getThrowable().ifPresent(t -> entry.put("failure", t.getClass().getSimpleName() + ": "
                    + String.join(" / ", String.valueOf(t.getMessage()).lines().map(String::strip)
                            .filter(l -> !l.isEmpty()).limit(4).toList())));
            // The bare run's "[class end]" step is the class's own after-all work, not a test: counted
            // with the classes, so that both modes report the same number of tests.
            (id.isTest() && !key.endsWith("." + WithoutLeakproof.CLASS_END) ? tests : classes).add(entry);
        }

        /** "ChatServerLeakTests.quitMakesTheServerClose" for a test, "ChatServerLeakTests" for its class. */
        private String key(TestIdentifier id) {
            String uniqueId = id.getUniqueId();
            // WithoutLeakproof's dynamic nodes (their source is the factory method): a container per class, a test per method
            if (uniqueId.contains("[dynamic-test:")) {
                return plan.getParent(id).map(TestIdentifier::getDisplayName).orElse("?") + "." + id.getDisplayName();
            }
            if (uniqueId.contains("[dynamic-container:")) {
                return id.getDisplayName();
            }
            var source = id.getSource().orElse(null);
            if (source instanceof MethodSource m && !m.getClassName().equals(WithoutLeakproof.class.getName())) {
                return simple(m.getClassName()) + "." + m.getMethodName();
            }
            if (source instanceof ClassSource c && c.getJavaClass() != WithoutLeakproof.class) {
                return simple(c.getClassName());
            }
            return null;
        }

        private static String simple(String className) {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }
}
