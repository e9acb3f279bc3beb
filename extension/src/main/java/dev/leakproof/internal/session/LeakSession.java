package dev.leakproof.internal.session;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.RunObserver;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.check.ClassSession;
import dev.leakproof.internal.check.DrivenRunGrowth;
import dev.leakproof.internal.check.ThreadLedger;
import dev.leakproof.internal.check.Window;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.netty.NettyLeakDetection;
import dev.leakproof.internal.os.ThreadSnapshot;
import dev.leakproof.internal.pipeline.HostedPipeline;
import dev.leakproof.internal.pipeline.PipelineMethod;
import dev.leakproof.internal.pipeline.PipelineSource;
import dev.leakproof.internal.pipeline.TargetMethod;
import dev.leakproof.internal.report.ClassReport;
import dev.leakproof.internal.report.TestId;
import dev.leakproof.internal.report.TestVerdict;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Everything the extension runs for one test class: the fixture server hosting the pipeline under
 * test, the tracker observing it, Netty's leak detection and the report. The verdicts themselves
 * are the checks' ({@link Verdicts} says in which order). Closed by JUnit (it lives in the class's
 * ExtensionContext store) even when tests fail: no server, event loop or thread of ours outlives it.
 *
 * <pre>{@code
 * try (LeakSession session = new LeakSession(testClass, settings, PipelineMethod.find(testClass), null)) {
 *     session.beforeTest(instance); // then the test drives connections
 *     TestVerdict verdict = session.judge(testId, TestVerdict.TestState.PASSED);
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LeakSession implements ClassSession, AutoCloseable {

    private final String testClass;
    private final LeakSettings settings;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final HostedPipeline hosted = new HostedPipeline();
    private final Optional<PipelineMethod> pipelineMethod;
    private final Optional<TargetMethod> targetMethod;
    private volatile Object testInstance;
    private final CountedRuns runs;
    private final NettyLeakDetection nettyLeaks;
    private final TlsFixtureServer server;
    private final LineScript exchange;
    private final DrivenCycles drivenCycles;
    private volatile boolean insideGrowthCheck;
    private final ClassReport report;
    private final ThreadSnapshot threadsAtClassStart = ThreadSnapshot.take();
    private final Set<InetSocketAddress> reportedOpen = ConcurrentHashMap.newKeySet();
    private final ThreadLedger threadLedger = new ThreadLedger();
    private final List<Finding> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final PipelineSetupFailures setupFailures;
    // What the JVM held when the window being judged began: new descriptors and threads are the window's.
    private Window.Baseline baseline = Window.Baseline.take();

    public LeakSession(Class<?> testClass, LeakSettings settings, Optional<PipelineMethod> pipelineMethod,
            PipelineSource builderPipeline) {
        this.testClass = testClass.getName();
        this.settings = settings;
        this.pipelineMethod = pipelineMethod;
        this.targetMethod = TargetMethod.find(testClass);
        boolean userPipeline = pipelineMethod.isPresent() || builderPipeline != null;
        // The built-in echo answers a ping; a user's protocol is unknown, so only the handshake is safe.
        this.exchange = settings.get(Settings.EXCHANGE).orElse(userPipeline || targetMethod.isPresent()
                || settings.get(Settings.SERVICE) != FixtureService.LINE_ECHO
                ? LineScript.empty() : LineScript.of("> ping", "< ping"));
        this.drivenCycles = new DrivenCycles(settings, exchange, userPipeline || targetMethod.isPresent(),
                targetMethod.isPresent() ? null : hosted::decodesHttp, this::record, tracker, reportedOpen);
        if (builderPipeline != null) {
            builderPipeline.install(hosted, tracker);
        } else {
            pipelineMethod.filter(PipelineMethod::isStatic).ifPresent(m -> m.install(hosted, null, tracker));
        }
        this.nettyLeaks = NettyLeakDetection.start();
        TlsFixtureServer.Builder builder = TlsFixtureServer.builder().provider(settings.get(Settings.PROVIDER))
                .observer(tracker).handshakeObserver(tracker).service(settings.get(Settings.SERVICE));
        if (userPipeline) {
            builder.pipelinePerConnection(hosted);
        }
        this.server = ServerStartFailure.start(builder, settings.get(Settings.PORT), nettyLeaks::close);
        this.setupFailures = new PipelineSetupFailures(server);
        this.report = new ClassReport(this.testClass, settings, server.provider().name());
        this.runs = new CountedRuns(report.workDone());
        if (!nettyLeaks.available()) {
            report.addClassFindings(List.of(Finding.note(Finding.Kind.SESSION,
                    "Netty buffer leaks are not checked: " + nettyLeaks.unavailableReason())));
        }
    }

    @Override
    public String testClass() {
        return testClass;
    }

    @Override
    public LeakSettings settings() {
        return settings;
    }

    @Override
    public TlsFixtureServer server() {
        return server;
    }

    @Override
    public ConnectionTracker tracker() {
        return tracker;
    }

    @Override
    public NettyLeakDetection nettyLeaks() {
        return nettyLeaks;
    }

    @Override
    public LineScript exchange() {
        return exchange;
    }

    /** A driver aimed at the fixture server (or the class's {@code @TargetServer}), configured by this class's settings. */
    @Override
    public ConnectionDriver newDriver() {
        return newDriver(new DrivenRunGrowth(this));
    }

    @Override
    public ConnectionDriver newDriver(RunObserver observer) {
        boolean ours = targetMethod.map(m -> !m.returnsBuilder()).orElse(true);
        return drivenCycles.driver(driverBuilder(), ours, this::driverBuilder, runs.counting(observer));
    }

    @Override
    public void ranRepetitions(long repetitions) {
        runs.repetitions(repetitions);
    }

    @Override
    public boolean insideGrowthCheck() {
        return insideGrowthCheck;
    }

    @Override
    public void insideGrowthCheck(boolean inside) {
        insideGrowthCheck = inside;
    }

    private ConnectionDriver.Builder driverBuilder() {
        return targetMethod.isPresent() ? targetMethod.get().driver(server, testInstance) : ConnectionDriver.forServer(server);
    }

    @Override
    public Optional<InetSocketAddress> targetAddress() {
        return targetMethod.map(m -> m.driver(server, testInstance).address());
    }

    @Override
    public Set<InetSocketAddress> reportedOpen() {
        return reportedOpen;
    }

    @Override
    public ThreadSnapshot threadsAtClassStart() {
        return threadsAtClassStart;
    }

    @Override
    public ThreadLedger threadLedger() {
        return threadLedger;
    }

    @Override
    public void record(Finding finding) {
        recorded.add(finding);
    }

    @Override
    public String reportLine() {
        return "\n  Report: " + report.htmlPath();
    }

    /** Called before each test: binds an instance pipeline method to this test's instance. */
    public void beforeTest(Object testInstance) {
        this.testInstance = testInstance;
        runs.testStarted();
        pipelineMethod.filter(m -> !m.isStatic()).ifPresent(m -> m.install(hosted, testInstance, tracker));
        if (nettyLeaks.available()) {
            // Buffers an earlier class leaked are found by this GC: reported now, they are not this test's.
            GcForcer.fullGc();
            nettyLeaks.discardPending();
        }
        setupFailures.testStarted();
        baseline = baseline.atTestStart(targetMethod.isPresent());
    }

    /**
     * What keeps the verdict from judging the test's connections, as the test's failure: the
     * hosted pipeline threw while connections were set up; or the test opened no connection itself
     * (nor handed an action to ResourceGrowth) and the configured cycles, driven for it, completed none.
     */
    public Optional<AssertionError> problemBeforeVerdict() {
        if (setupFailures.sinceTestStart() == 0 && !openedConnections() && !runs.growthJudgedInTest()) {
            try (ConnectionDriver driver = newDriver()) {
                DriverStats stats = driver.run();
                if (setupFailures.sinceTestStart() == 0 && stats.cyclesCompleted() == 0 && stats.cyclesRequested() > 0) {
                    return Optional.of(new AssertionError("The automatic run of " + stats.cyclesRequested()
                            + " cycles completed none, so no leak verdict is possible: " + stats.failuresByCause()));
                }
            }
        }
        return setupFailures.problem();
    }

    private boolean openedConnections() {
        return targetMethod.isPresent() ? runs.driverMadeInTest() : setupFailures.acceptedSinceTestStart() > 0;
    }

    /** Judges the class's own activity since the previous verdict (see {@link #judge}); what to throw, if anything. */
    public Optional<ConnectionLeakError> verdict(String what, boolean classFailed) {
        TestVerdict verdict = judge(TestId.classLevel(what, testClass),
                classFailed ? TestVerdict.TestState.FAILED : TestVerdict.TestState.PASSED);
        return Verdicts.failure(verdict, reportLine());
    }

    /**
     * Judges everything since the previous verdict with the per-test checks, and records the verdict
     * ({@link Verdicts#failure} tells what to throw).
     */
    public TestVerdict judge(TestId test, TestVerdict.TestState state) {
        runs.verdictStarted();
        Window window = new Window(test.displayName(), this, baseline);
        TestVerdict verdict;
        try {
            Map<String, Double> steps = new LinkedHashMap<>();
            List<Finding> findings = new ArrayList<>(Verdicts.run(Verdicts.PER_TEST, window, steps));
            findings.addAll(recorded);
            recorded.clear();
            DrivenRunGrowth.settle(window, findings);
            SameFindings.mergeInPlace(findings, state == TestVerdict.TestState.FAILED, window.name(), threadLedger);
            verdict = Verdicts.verdict(window, test, findings, steps, state, reportLine());
        } finally {
            // Survivors are reported once, not again by the next test; the next window starts now.
            tracker.retire();
            baseline = baseline.next(targetMethod.isPresent());
        }
        report.add(verdict);
        return verdict;
    }

    ClassReport report() {
        return report;
    }

    /** The class's end, after its {@code @AfterAll} methods: see {@link ClassEnd}. */
    public Optional<AssertionError> finishClass(boolean classFailed) {
        return new ClassEnd(this, report).finish(classFailed);
    }

    /** Whether anything happened since the last verdict, or an object left for later (still open then) closed since. */
    boolean hasUnjudgedActivity() {
        return tracker.objectsInWindow() > 0 || tracker.expungeCleared() > 0 || server.openConnections().stream()
                .anyMatch(c -> !reportedOpen.contains(c.remoteAddress()));
    }

    /** A window over the class's own activity since the last verdict. */
    Window classWindow(String name) {
        return new Window(name, this, baseline);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            nettyLeaks.close();
        }
    }
}
