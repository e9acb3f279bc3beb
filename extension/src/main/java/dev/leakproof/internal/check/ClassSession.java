package dev.leakproof.internal.check;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.netty.NettyLeakDetection;
import dev.leakproof.internal.os.ThreadSnapshot;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.net.InetSocketAddress;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * What the checks may use of one test class's run: its settings, the fixture server, the tracker
 * and what lives as long as the class. The session implements it; a check never owns any of it.
 *
 * <pre>{@code
 * Duration grace = window.session().settings().get(Settings.GRACE_PERIOD);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface ClassSession {

    /** The test class's name, for dump files and reports. */
    String testClass();

    LeakSettings settings();

    TlsFixtureServer server();

    ConnectionTracker tracker();

    NettyLeakDetection nettyLeaks();

    /** What each driven connection says after its handshake. */
    LineScript exchange();

    /**
     * A driver aimed at the fixture server (or the class's {@code @TargetServer}) with the class's
     * settings, each run judged by growth per connection ({@link DrivenRunGrowth}); the caller closes it.
     */
    ConnectionDriver newDriver();

    /** The same driver, its runs observed by {@code observer} instead. */
    ConnectionDriver newDriver(dev.leakproof.fixture.RunObserver observer);

    /**
     * Whether a {@code ResourceGrowth} check of the test is running: the driven runs inside it are its
     * repetitions, judged by it, not each on its own.
     */
    boolean insideGrowthCheck();

    /** Marks the start ({@code true}) and the end of a {@code ResourceGrowth} check. */
    void insideGrowthCheck(boolean inside);

    /** The server the test started itself ({@code @TargetServer}), when the cycles aim at one. */
    java.util.Optional<InetSocketAddress> targetAddress();

    /**
     * Client addresses of connections no verdict should count: those already reported open by an
     * earlier verdict of this class (reported once), and the one the extension made itself to ask a
     * server of the test's whether it speaks HTTP.
     */
    Set<InetSocketAddress> reportedOpen();

    /** The threads alive when the class started. */
    ThreadSnapshot threadsAtClassStart();

    /** Which test left each thread running, for the class's end. */
    ThreadLedger threadLedger();

    /**
     * Records a finding made during a test (by a check the test called itself, such as the growth
     * check): the test's verdict and report include it. A leak recorded here does not fail the verdict
     * again; the check that made it has already thrown.
     */
    void record(Finding finding);

    /** Counts repetitions of an action a test handed to {@code ResourceGrowth}: what the report says ran. */
    void ranRepetitions(long repetitions);

    /** The line that names the class's HTML report, to end a failure message with. */
    String reportLine();
}
