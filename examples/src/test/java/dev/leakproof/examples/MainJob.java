package dev.leakproof.examples;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.PackageNameFilter.includePackageNames;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The project's main job: runs the sample server's leak suite and every leaky example next to its
 * fixed twin through the JUnit Platform Launcher, prints one verdict, and writes the same with the
 * full failure messages to {@code target/leak-reports/main-job.md}. Exits 0 when the sample server
 * is leak-free, every {@code *LeakExample} fails with a leak and every {@code *FixedExample} passes;
 * 1 otherwise.
 *
 * <pre>{@code
 * ./mvnw -q -Pmain-job -DskipTests verify
 * }</pre>
 *
 * <p>The report path can be set with {@code -Dleakproof.mainJob.report=...}.
 */
public final class MainJob {

    /** System property naming the Markdown report file. */
    public static final String REPORT_PROPERTY = "leakproof.mainJob.report";

    static final String SAMPLE_SERVER_SUITE = "dev.leakproof.sample.chat.ChatServerLeakTests";
    static final String SAMPLE_SERVER_IDLE_SUITE = "dev.leakproof.sample.chat.ChatServerIdleLeakTests";
    /** Memory per open connection against its budget, class growth and the step load. */
    static final String SAMPLE_SERVER_MEMORY_SUITE = "dev.leakproof.sample.chat.ChatServerMemoryTests";

    /*
     * Netty logs every leak it detects as a SEVERE stack dump of dozens of lines; Leakproof already
     * turns the same reports into the failure messages this job prints, so the log would only bury
     * the verdict. The logger must stay enabled (Netty reports no leak at all, not even to
     * Leakproof, when its logger is off): its records just go to no console handler. Held in a
     * field: java.util.logging keeps loggers weakly, and a collected logger forgets its settings.
     */
    private static final Logger NETTY_LEAK_LOG = Logger.getLogger("io.netty.util.ResourceLeakDetector");

    private MainJob() {
    }

    public static void main(String[] args) {
        NETTY_LEAK_LOG.setUseParentHandlers(false);
        Path report = Path.of(System.getProperty(REPORT_PROPERTY, "target/leak-reports/main-job.md"));
        PrintStream out = System.out;
        out.println("Leakproof main job: running the sample server's leak suite and the examples...");
        out.flush();

        OutcomeRecorder recorder = new OutcomeRecorder();
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            launcher.execute(sampleServerSuite(), recorder);
            launcher.execute(examples(), recorder);
        }

        MainJobVerdict verdict = MainJobVerdict.of(recorder.outcomes());
        writeReport(report, verdict.markdown());
        out.print('\n' + verdict.consoleText(report));
        out.flush();
        System.exit(verdict.passed() ? 0 : 1);
    }

    static LauncherDiscoveryRequest sampleServerSuite() {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SAMPLE_SERVER_SUITE), selectClass(SAMPLE_SERVER_IDLE_SUITE),
                        selectClass(SAMPLE_SERVER_MEMORY_SUITE))
                .build();
    }

    /** Every *LeakExample and *FixedExample under this package, found where this class was compiled to. */
    static LauncherDiscoveryRequest examples() {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(testClassesRoot())))
                .filters(includePackageNames(MainJob.class.getPackageName()),
                        includeClassNamePatterns(".*LeakExample", ".*FixedExample"))
                .configurationParameter(ClassOrderer.DEFAULT_ORDER_PROPERTY_NAME, FixedTwinsFirst.class.getName())
                .build();
    }

    private static Path testClassesRoot() {
        try {
            return Path.of(MainJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the compiled examples", e);
        }
    }

    private static void writeReport(Path report, String markdown) {
        try {
            Path parent = report.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(report, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the main job's report to " + report, e);
        }
    }
}
