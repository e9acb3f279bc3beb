package dev.leakproof.bench.jmh;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Connect / full TLS handshake / {@code ping} echoed / close cycles against a fixture server, with the
 * extension's {@link ConnectionTracker} as the server's connection and handshake observer (what every
 * {@code @DetectConnectionLeaks} test runs) or with none. One invocation is a batch of {@code batch}
 * cycles on {@code concurrency} client threads, so the score is batches per second; the tracked /
 * untracked ratio is what matters. {@link TrackingOverheadBenchmark} runs it, alternating tracked and
 * untracked forks; JMH's own runner works too:
 *
 * <pre>
 * java -cp "$(cat bench/target/benchmark.classpath):bench/target/classes" org.openjdk.jmh.Main ConnectCloseCycles -f 1 -p provider=JDK
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConnectCloseCycles {

    /** {@link TlsProvider} name: JDK or OPENSSL. */
    @Param({"JDK", "OPENSSL"})
    public String provider;

    /** Client threads, each running whole cycles. */
    @Param({"1", "8"})
    public int concurrency;

    /** The tracker observes the server, or nothing does. */
    @Param({"true", "false"})
    public boolean tracked;

    /** Cycles per invocation. */
    @Param("64")
    public int batch;

    private TlsFixtureServer server;
    private ConnectionDriver driver;
    private ConnectionTracker tracker;
    private long failures;

    @Setup(Level.Trial)
    public void start() {
        TlsProvider wanted = TlsProvider.parse(provider);
        if (!wanted.isAvailable()) {
            throw new IllegalStateException(wanted + " is not available: " + wanted.unavailabilityCause());
        }
        TlsFixtureServer.Builder builder = TlsFixtureServer.builder().provider(wanted);
        if (tracked) {
            tracker = new ConnectionTracker();
            builder.observer(tracker).handshakeObserver(tracker);
        }
        server = builder.start();
        driver = ConnectionDriver.forServer(server).concurrency(concurrency).build();
        if (server.provider() != wanted || driver.provider() != wanted) {
            throw new IllegalStateException("fell back from " + wanted + " to " + server.provider());
        }
    }

    /** Lets the previous iteration's closes finish, outside the measurement. */
    @Setup(Level.Iteration)
    public void quiesce() {
        if (!server.awaitNoOpenConnections(Duration.ofSeconds(10))) {
            throw new IllegalStateException("the server still holds connections: " + server.counts());
        }
    }

    @Benchmark
    public long cycles() {
        DriverStats stats = driver.run(batch);
        failures += stats.failures();
        return stats.cyclesCompleted();
    }

    /** A run with failed cycles measured something else than cycles: fail it, visibly. */
    @TearDown(Level.Trial)
    public void stop() {
        try {
            driver.close();
        } finally {
            server.close();
        }
        if (failures > 0) {
            throw new IllegalStateException(failures + " cycles failed (provider " + provider + ", concurrency "
                    + concurrency + ", tracked " + tracked + ")");
        }
    }
}
