package dev.leakproof.internal;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.OpenConnection;
import dev.leakproof.fixture.TlsFixtureServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Everything the extension runs for one test class: the fixture server hosting the pipeline under
 * test, the tracker observing it, and Netty's leak detection. Closed by JUnit (it lives in the
 * class's ExtensionContext store) even when tests fail, so no server, event loop or thread of ours
 * outlives the class.
 */
public final class LeakSession implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final LeakSettings settings;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final HostedPipeline hosted = new HostedPipeline();
    private final Optional<PipelineMethod> pipelineMethod;
    private final NettyLeakDetection nettyLeaks;
    private final TlsFixtureServer server;
    private final boolean userPipeline;
    private long acceptedAtTestStart;

    public LeakSession(LeakSettings settings, Optional<PipelineMethod> pipelineMethod, PipelineSource builderPipeline) {
        this.settings = settings;
        this.pipelineMethod = pipelineMethod;
        this.userPipeline = pipelineMethod.isPresent() || builderPipeline != null;
        if (builderPipeline != null) {
            builderPipeline.install(hosted, tracker);
        } else {
            pipelineMethod.filter(PipelineMethod::isStatic).ifPresent(m -> m.install(hosted, null, tracker));
        }
        this.nettyLeaks = NettyLeakDetection.start();
        TlsFixtureServer.Builder builder = TlsFixtureServer.builder().provider(settings.provider()).observer(tracker);
        if (userPipeline) {
            builder.pipeline(hosted);
        }
        try {
            this.server = builder.start();
        } catch (RuntimeException e) {
            nettyLeaks.close();
            throw e;
        }
    }

    public TlsFixtureServer server() {
        return server;
    }

    public ConnectionTracker tracker() {
        return tracker;
    }

    public LeakSettings settings() {
        return settings;
    }

    /** Called before each test: binds an instance pipeline method to this test's instance. */
    public void beforeTest(Object testInstance) {
        pipelineMethod.filter(m -> !m.isStatic()).ifPresent(m -> m.install(hosted, testInstance, tracker));
        nettyLeaks.resetReportedLeaks();
        acceptedAtTestStart = server.counts().accepted();
    }

    /** A driver aimed at the fixture server, configured by this class's settings. */
    public ConnectionDriver newDriver() {
        return ConnectionDriver.forServer(server)
                .cycles(settings.cycles())
                .concurrency(settings.concurrency())
                .closeStyle(settings.closeStyle())
                .exchange(userPipeline ? Exchange.handshakeOnly() : Exchange.echo("ping"))
                .build();
    }

    /**
     * When the test opened no connection itself, drives the configured cycles so that the verdict
     * has something to judge (a user pipeline gets handshake-only cycles: its protocol is unknown).
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
     * Judges everything since the previous verdict: open connections first, then per-connection
     * objects after a forced full GC, then Netty's leak reports.
     */
    public Optional<ConnectionLeakError> verdict() {
        long start = System.nanoTime();
        Duration grace = settings.gracePeriod();
        long connections = tracker.connectionsInWindow();
        List<String> findings = new ArrayList<>();
        Map<String, Long> byClass = new LinkedHashMap<>();
        long leakedConnections = 0;

        if (!server.awaitNoOpenConnections(grace)) {
            List<OpenConnection> open = server.openConnections();
            if (!open.isEmpty()) {
                findings.add(FailureMessages.openConnections(open, grace, connections));
                leakedConnections += open.size();
            }
        }
        long openNow = server.counts().open();

        AtomicReference<GcForcer.Result> lastGc = new AtomicReference<>(new GcForcer.Result("no GC", 0));
        long[] collections = {0};
        boolean allCollected = tracker.expunge() == 0 || awaitCollected(grace, lastGc, collections);
        if (!allCollected) {
            Survivors survivors = new Survivors(tracker.survivors(), connections);
            GcForcer.Result gc = new GcForcer.Result(lastGc.get().method(), collections[0]);
            findings.add(FailureMessages.survivors(survivors, gc, openNow, start));
            leakedConnections = Math.max(leakedConnections, survivors.leakedConnections);
            byClass.putAll(survivors.byClass());
        }
        tracker.retire();

        List<NettyLeakDetection.Leak> leaks = awaitNettyLeaks(allCollected);
        if (!leaks.isEmpty()) {
            findings.add(FailureMessages.nettyLeaks(leaks));
            byClass.merge("Netty " + leaks.get(0).resourceType(), (long) leaks.size(), Long::sum);
        }
        if (findings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConnectionLeakError(String.join("\n\n", findings), leakedConnections, connections, byClass));
    }

    /** Whether anything happened since the last verdict (for the class-level verdict). */
    public boolean hasUnjudgedActivity() {
        return tracker.objectsInWindow() > 0 || server.counts().open() > 0;
    }

    private boolean awaitCollected(Duration grace, AtomicReference<GcForcer.Result> lastGc, long[] collections) {
        try {
            Awaitility.await("per-connection objects to be collected")
                    .pollInSameThread()
                    .atMost(grace)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .until(() -> {
                        GcForcer.Result gc = GcForcer.fullGc();
                        lastGc.set(gc);
                        collections[0] += gc.collections();
                        return tracker.expunge() == 0;
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Netty notices a leaked buffer only after the GC enqueued its phantom reference and a new
     * buffer is allocated; poll briefly. When the heap check already forced GCs and everything was
     * collected, one more GC and a short poll are enough.
     */
    private List<NettyLeakDetection.Leak> awaitNettyLeaks(boolean alreadyCollected) {
        if (!nettyLeaks.available()) {
            return List.of();
        }
        List<NettyLeakDetection.Leak> leaks = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMillis(alreadyCollected ? 150 : 50).toNanos();
        GcForcer.fullGc();
        do {
            leaks.addAll(nettyLeaks.drain());
            if (!leaks.isEmpty()) {
                break;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        return leaks;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
