package dev.leakproof.internal;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;

/**
 * Everything the extension runs for one test class: the fixture server hosting the pipeline under
 * test, the tracker observing it, Netty's leak detection, the class-level memory checks and the
 * report. Closed by JUnit (it lives in the class's ExtensionContext store) even when tests fail, so
 * no server, event loop or thread of ours outlives the class.
 */
public final class LeakSession implements AutoCloseable {

    /** New descriptors below this many are noise (a jar opened for class loading, a selector). */
    private static final long FD_LEAK_MIN = 10;
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);
    private static final Duration NETTY_QUIET_PERIOD = Duration.ofMillis(200);
    private static final Duration NETTY_DRAIN_LIMIT = Duration.ofSeconds(2);

    private final LeakSettings settings;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final HostedPipeline hosted = new HostedPipeline();
    private final Optional<PipelineMethod> pipelineMethod;
    private final NettyLeakDetection nettyLeaks;
    private final TlsFixtureServer server;
    private final LineScript exchange;
    private final ClassReport report;
    private long acceptedAtTestStart;
    // What the JVM held when the window being judged began: new descriptors and threads are the test's.
    private FileDescriptors descriptorsAtStart = FileDescriptors.snapshot();
    private ThreadSnapshot threadsAtStart = ThreadSnapshot.take();
    private final ThreadSnapshot threadsAtClassStart = ThreadSnapshot.take();
    private final Set<InetSocketAddress> reportedOpen = ConcurrentHashMap.newKeySet();

    public LeakSession(Class<?> testClass, LeakSettings settings, Optional<PipelineMethod> pipelineMethod,
            PipelineSource builderPipeline) {
        this.settings = settings;
        this.pipelineMethod = pipelineMethod;
        boolean userPipeline = pipelineMethod.isPresent() || builderPipeline != null;
        // The built-in echo answers a ping; a user's protocol is unknown, so only the handshake is safe.
        this.exchange = settings.exchange().orElse(userPipeline || settings.service() != FixtureService.LINE_ECHO
                ? LineScript.empty() : LineScript.of("> ping", "< ping"));
        if (builderPipeline != null) {
            builderPipeline.install(hosted, tracker);
        } else {
            pipelineMethod.filter(PipelineMethod::isStatic).ifPresent(m -> m.install(hosted, null, tracker));
        }
        this.nettyLeaks = NettyLeakDetection.start();
        TlsFixtureServer.Builder builder = TlsFixtureServer.builder().provider(settings.provider()).observer(tracker)
                .service(settings.service());
        if (userPipeline) {
            builder.pipeline(hosted);
        }
        try {
            this.server = builder.start();
        } catch (RuntimeException e) {
            nettyLeaks.close();
            throw e;
        }
        this.report = new ClassReport(testClass.getName(), settings, server.provider().name());
        if (!nettyLeaks.available()) {
            report.notes.add("Netty buffer leaks are not checked: " + nettyLeaks.unavailableReason());
        }
    }

    public TlsFixtureServer server() {
        return server;
    }

    public ConnectionTracker tracker() {
        return tracker;
    }

    /** Called before each test: binds an instance pipeline method to this test's instance. */
    public void beforeTest(Object testInstance) {
        pipelineMethod.filter(m -> !m.isStatic()).ifPresent(m -> m.install(hosted, testInstance, tracker));
        if (nettyLeaks.available()) {
            nettyLeaks.discardPending();
        }
        acceptedAtTestStart = server.counts().accepted();
        descriptorsAtStart = FileDescriptors.snapshot();
        threadsAtStart = ThreadSnapshot.take();
    }

    /** The request-growth check of client code, against this class's fixture server. */
    public OpenConnectionGrowthCheck openConnectionGrowth() {
        return new OpenConnectionGrowthCheck(server, settings.gracePeriod(), settings.maxOpenConnections());
    }

    /** A driver aimed at the fixture server, configured by this class's settings. */
    public ConnectionDriver newDriver() {
        return ConnectionDriver.forServer(server)
                .cycles(settings.cycles())
                .concurrency(settings.concurrency())
                .closeStyle(settings.closeStyle())
                .exchange(exchange)
                .build();
    }

    /**
     * When the test opened no connection itself, drives the configured cycles so that the verdict
     * has something to judge.
     */
    public Optional<String> driveIfTestOpenedNothing() {
        if (server.counts().accepted() > acceptedAtTestStart) {
            return Optional.empty();
        }
        try (ConnectionDriver driver = newDriver()) {
            DriverStats stats = driver.run();
            if (stats.cyclesCompleted() == 0 && stats.cyclesRequested() > 0) {
                return Optional.of("The automatic run of " + stats.cyclesRequested() + " cycles completed none, so no "
                        + "leak verdict is possible: " + stats.failuresByCause());
            }
        }
        return Optional.empty();
    }

    /**
     * Judges everything since the previous verdict, in the order a person reads the findings: open
     * connections, per-connection objects after a forced full GC (with the path that holds them),
     * file descriptors and scheduled tasks, threads, then Netty's leak reports. Records the verdict
     * in the report.
     */
    public Optional<ConnectionLeakError> verdict(String testName, boolean testFailed) {
        long start = System.nanoTime();
        Duration grace = settings.gracePeriod();
        long connections = tracker.connectionsInWindow();
        List<String> findings = new ArrayList<>();
        Map<String, Long> byClass = new LinkedHashMap<>();
        long leakedConnections = 0;

        // 1. Connections: every one closed, or idle between requests within the allowance.
        List<OpenConnection> open = awaitConnectionsSettled(grace);
        if (!open.isEmpty()) {
            long idle = open.stream().filter(OpenConnection::idleBetweenRequests).count();
            if (withinIdleAllowance(open)) {
                report.notes.add(testName + ": " + open.size() + " idle pooled connections left open (allowed: "
                        + settings.maxOpenConnections() + ")");
            } else {
                open.forEach(c -> reportedOpen.add(c.remoteAddress()));
                findings.add(FailureMessages.openConnections(open, grace, connections, settings.maxOpenConnections()));
                leakedConnections += open.size() - (idle <= settings.maxOpenConnections() ? idle : 0);
            }
        }
        long openNow = server.counts().open();

        // 2. Beyond the heap, before any GC: a GC would close unreachable streams and hide the leak.
        //    Reported after the heap's finding, which names what leaked.
        List<String> beyondTheHeap = new ArrayList<>();
        FileDescriptors descriptors = FileDescriptors.snapshot();
        long newDescriptors = descriptors.count() - descriptorsAtStart.count() - 2L * openNow;
        if (descriptorsAtStart.known() && newDescriptors >= Math.max(FD_LEAK_MIN, connections / 100)) {
            beyondTheHeap.add(FailureMessages.fileDescriptors(newDescriptors, connections,
                    descriptors.newByKind(descriptorsAtStart), descriptors.newExamples(descriptorsAtStart, 3)));
        }
        Map<String, Long> tasks = openNow == 0 ? PendingTasks.onLoops(server.childEventLoops(), grace) : Map.of();
        if (!tasks.isEmpty()) {
            beyondTheHeap.add(FailureMessages.pendingTasks(tasks, connections));
        }

        // 3. The heap: every per-connection object must be collected.
        AtomicReference<GcForcer.Result> lastGc = new AtomicReference<>(new GcForcer.Result("no GC", 0));
        long[] collections = {0};
        boolean allCollected = tracker.expungeCleared() == 0 || awaitCollected(grace, lastGc, collections);
        if (!allCollected) {
            Survivors survivors = new Survivors(tracker.survivors(), connections);
            GcForcer.Result gc = new GcForcer.Result(lastGc.get().method(), collections[0]);
            String trace = null;
            String topPath = null;
            if (settings.leakTrace()) {
                LeakTraces.Result traces = LeakTraces.find(survivors.objects, report.testClass,
                        settings.leakTraceIgnore(), settings.leakTraceTimeout(), settings.keepHeapDump());
                trace = LeakTraces.describe(traces);
                topPath = traces.signatures().isEmpty() ? null : traces.signatures().get(0).path();
                report.leakTraces.put(testName, traces);
            }
            findings.add(FailureMessages.survivors(survivors, gc, openNow, start, trace, topPath));
            leakedConnections = Math.max(leakedConnections, survivors.leakedConnections);
            byClass.putAll(survivors.byClass());
        }
        tracker.retire();
        findings.addAll(beyondTheHeap);

        // 4. Threads started per connection and left running (given the grace period to end). A few
        //    threads are judged at the end of the class instead: a pool the class shuts down in
        //    @AfterAll starts its threads lazily, during the first test that uses it.
        List<Thread> threads = awaitThreadsEnded(threadsAtStart, grace);
        if (threads.size() >= Math.max(2, connections / 2)) {
            findings.add(FailureMessages.threads(threads, connections, "during the test"));
        }

        // 5. Netty's own leak reports.
        List<NettyLeakDetection.Leak> leaks = awaitNettyLeaks();
        if (!leaks.isEmpty()) {
            findings.add(FailureMessages.nettyLeaks(leaks));
            byClass.merge("Netty " + leaks.get(0).resourceType(), (long) leaks.size(), Long::sum);
        }

        descriptorsAtStart = FileDescriptors.snapshot();
        threadsAtStart = ThreadSnapshot.take();
        String message = findings.isEmpty() ? "" : String.join("\n\n", findings) + reportLine();
        String outcome = findings.isEmpty() ? (testFailed ? "test failed" : "pass")
                : (testFailed ? "test failed, leak found" : "leak found");
        report.tests.add(new ClassReport.TestVerdict(testName, outcome, connections, leakedConnections, byClass, message,
                Duration.ofNanos(System.nanoTime() - start).toMillis()));
        if (findings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConnectionLeakError(message, leakedConnections, connections, byClass));
    }

    /**
     * Waits, bounded by the grace period, until every connection not already reported is closed, or
     * those left are idle pooled connections within the allowance (they may stay open by design, so
     * waiting the whole grace period for them would only slow every test down). Returns the open
     * connections not reported before.
     */
    private List<OpenConnection> awaitConnectionsSettled(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        // Connections the kernel has accepted but the server not yet: the accepting loop takes them first.
        server.awaitEventLoops(grace);
        while (true) {
            List<OpenConnection> open = unreportedOpenConnections();
            if (open.isEmpty() || withinIdleAllowance(open)) {
                // Every close that came has run all its handlers: a barrier on every event loop.
                server.awaitEventLoops(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                return open;
            }
            if (System.nanoTime() > deadline) {
                return open;
            }
            Sleeping.sleep(20);
        }
    }

    /** Open connections not already reported by an earlier verdict. */
    private List<OpenConnection> unreportedOpenConnections() {
        return server.openConnections().stream().filter(c -> !reportedOpen.contains(c.remoteAddress())).toList();
    }

    /** Whether these open connections may stay: all idle pooled ones, no more than maxOpenConnections. */
    private boolean withinIdleAllowance(List<OpenConnection> open) {
        return open.stream().allMatch(OpenConnection::idleBetweenRequests) && open.size() <= settings.maxOpenConnections();
    }

    /** Threads started since {@code since} that are still alive once the grace period allowed them to end. */
    private List<Thread> awaitThreadsEnded(ThreadSnapshot since, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<Thread> started = since.startedSince(settings.threadAllowlist());
        while (!started.isEmpty() && System.nanoTime() < deadline) {
            Sleeping.sleep(50);
            started = since.startedSince(settings.threadAllowlist());
        }
        return started;
    }

    /**
     * After the whole class (and its @AfterAll methods): every thread it started must have ended,
     * executors included.
     */
    public Optional<AssertionError> classThreads() {
        List<Thread> threads = awaitThreadsEnded(threadsAtClassStart, settings.gracePeriod());
        if (threads.isEmpty()) {
            return Optional.empty();
        }
        String finding = FailureMessages.threads(threads, server.counts().accepted(), "by this test class");
        report.classFindings.add(finding);
        return Optional.of(new ConnectionLeakError(finding + reportLine(), 0, server.counts().accepted(),
                Map.of("threads", (long) threads.size())));
    }

    /** Whether anything happened since the last verdict (for the class-level verdict). */
    public boolean hasUnjudgedActivity() {
        return tracker.objectsInWindow() > 0 || !unreportedOpenConnections().isEmpty();
    }

    /**
     * The checks that run once per class: retained size per open connection against its budget, and
     * class-histogram growth. Returns the failure, if any.
     */
    public Optional<AssertionError> classChecks() {
        List<String> findings = new ArrayList<>();
        if (settings.maxRetainedPerConnection() > 0) {
            checkRetainedSize().ifPresent(findings::add);
        }
        if (settings.growthCycles() > 0) {
            checkGrowth().ifPresent(findings::add);
        }
        if (!settings.loadSteps().isEmpty()) {
            checkStepLoad().ifPresent(findings::add);
        }
        report.classFindings.addAll(findings);
        if (findings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AssertionError(String.join("\n\n", findings) + reportLine()));
    }

    /** Writes the JSON and HTML reports; a report that cannot be written is noted, never a test failure. */
    public void writeReport() {
        try {
            ReportWriter.write(report);
        } catch (IOException e) {
            System.err.println("Leakproof could not write its report to " + report.htmlPath() + ": " + e);
        }
    }

    private Optional<String> checkRetainedSize() {
        Optional<String> jolProblem = JolSupport.problem();
        if (jolProblem.isPresent()) {
            if (settings.budgetExplicit()) {
                return Optional.of("Retained size per connection cannot be measured: " + jolProblem.get() + ".");
            }
            report.retainedSizeSkipped = jolProblem.get();
            return Optional.empty();
        }
        tracker.pause(true);
        RetainedSize size;
        try {
            size = RetainedSizeMeasurement.measure(server, settings.retainedSizeConnections(), exchange,
                    tracker.connectionObjectClasses());
        } finally {
            tracker.pause(false);
        }
        report.retainedSize = size;
        List<String> problems = new ArrayList<>();
        if (size.jolBytesPerConnection() > settings.maxRetainedPerConnection()) {
            problems.add(FailureMessages.overBudget(size, settings.maxRetainedPerConnection()));
        }
        double returnTolerance = Math.max(0.25 * size.jolBytesPerConnection(), 1024);
        if (size.residualBytesPerConnection() > returnTolerance) {
            problems.add(FailureMessages.memoryNotReturned(size));
        }
        if (size.disagreement() > 0.15) {
            report.notes.add(FailureMessages.disagreement(size));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", problems));
    }

    private Optional<String> checkStepLoad() {
        tracker.pause(true);
        StepLoad.Result result;
        try {
            result = StepLoad.run(server, settings.loadSteps(), settings.loadStepHold(), exchange,
                    settings.threadAllowlist());
        } finally {
            tracker.pause(false);
        }
        report.stepLoad = result;
        List<String> problems = StepLoad.notReturned(result);
        return problems.isEmpty() ? Optional.empty() : Optional.of(FailureMessages.stepLoadNotReturned(result, problems));
    }

    private Optional<String> checkGrowth() {
        int step = settings.growthCycles();
        try (ConnectionDriver driver = newDriver()) {
            driver.run(Math.max(settings.concurrency(), step)); // warm-up: first-use caches fill here
            ClassHistogram warm = histogramAfterCycles();
            driver.run(step);
            ClassHistogram afterOne = histogramAfterCycles();
            driver.run(2 * step);
            ClassHistogram afterTwo = histogramAfterCycles();
            List<GrowthCheck.Growth> growing = GrowthCheck.growing(warm, afterOne, afterTwo, step,
                    settings.growthAllowlist(), tracker.trackedClasses());
            report.growth = growing;
            report.growthCycles = step;
            return growing.isEmpty() ? Optional.empty() : Optional.of(FailureMessages.growth(growing, step));
        }
    }

    /**
     * A live histogram once the server has seen every close and the tracker has dropped the
     * references the GC cleared: the detector's own bookkeeping must not look like growth.
     */
    private ClassHistogram histogramAfterCycles() {
        server.awaitNoOpenConnections(settings.gracePeriod());
        GcForcer.fullGc();
        tracker.expungeCleared();
        return ClassHistogram.take();
    }

    private String reportLine() {
        return "\n  Report: " + report.htmlPath();
    }

    private boolean awaitCollected(Duration grace, AtomicReference<GcForcer.Result> lastGc, long[] collections) {
        try {
            Awaitility.await("per-connection objects to be collected")
                    .pollInSameThread()
                    .atMost(grace)
                    .pollDelay(Duration.ZERO)
                    // 50, 100, 200, 400 ms..., at most 1 s: a clean server passes at the first GC, a
                    // leak costs a handful of full GCs over the grace period, not one every 50 ms.
                    .pollInterval(new IterativePollInterval(
                            d -> d.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : d.multipliedBy(2), FIRST_POLL))
                    .until(() -> {
                        GcForcer.Result gc = GcForcer.fullGc();
                        lastGc.set(gc);
                        collections[0] += gc.collections();
                        return tracker.expungeCleared() == 0;
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Netty notices a leaked buffer only after the GC enqueued its phantom reference and a new
     * buffer is allocated, and reports trickle in: drain until nothing new came for a quiet period.
     */
    private List<NettyLeakDetection.Leak> awaitNettyLeaks() {
        if (!nettyLeaks.available()) {
            return List.of();
        }
        List<NettyLeakDetection.Leak> leaks = new ArrayList<>();
        GcForcer.fullGc();
        long deadline = System.nanoTime() + NETTY_DRAIN_LIMIT.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() - lastReport < NETTY_QUIET_PERIOD.toNanos() && System.nanoTime() < deadline) {
            List<NettyLeakDetection.Leak> drained = nettyLeaks.drain();
            if (!drained.isEmpty()) {
                leaks.addAll(drained);
                lastReport = System.nanoTime();
            }
            Sleeping.sleep(20);
        }
        return leaks;
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
