package dev.leakproof.internal.session;

import dev.leakproof.Protocol;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.HttpRequests;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.RunObserver;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What the class's driven connections say and send, decided once: the exchange (the built-in
 * service's own, the {@code exchange} script, or HTTP requests told from the server's first answer),
 * the server name each connection sends (varied per connection by default), and the growth judge
 * watching each run.
 *
 * <pre>{@code
 * DrivenCycles cycles = new DrivenCycles(settings, lineScript, builderSupplier, ownServer, session::record);
 * ConnectionDriver driver = cycles.driver(builderSupplier.get(), observer);
 * }</pre>
 */
final class DrivenCycles {

    /**
     * Bound on each step of the one connection that asks a server of the test's whether it speaks
     * HTTP: a server of another protocol may say nothing, and the class should not wait the driver's
     * 10 s operation timeout for it; a framework's first request (lazy initialisation) takes a second or two.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final LeakSettings settings;
    private final LineScript lineScript;
    private final boolean ownServer;
    private final Consumer<Finding> record;
    private final ConnectionTracker tracker;
    private final Set<InetSocketAddress> notTheTests;
    private final BooleanSupplier hostedDecodesHttp;
    private Exchange exchange;

    /**
     * @param lineScript the exchange the session would use on lines (the script, the echo's ping, or nothing)
     * @param ownServer whether the connections reach a server of the test's (a hosted pipeline or a target server)
     * @param hostedDecodesHttp for a hosted pipeline, whether it decodes HTTP (asked without a
     *     connection); {@code null} for a target server, which one connection asks
     * @param record where the note saying what the cycles speak goes
     * @param tracker paused while the server is asked whether it speaks HTTP: that connection is the
     *     extension's question, not the test's, and counts in no verdict
     * @param notTheTests where that connection's client address goes, so that the checks of open
     *     connections and descriptors leave it out (a server that never closes keeps it in CLOSE_WAIT)
     */
    DrivenCycles(LeakSettings settings, LineScript lineScript, boolean ownServer, BooleanSupplier hostedDecodesHttp,
            Consumer<Finding> record, ConnectionTracker tracker, Set<InetSocketAddress> notTheTests) {
        this.settings = settings;
        this.hostedDecodesHttp = hostedDecodesHttp;
        this.tracker = tracker;
        this.notTheTests = notTheTests;
        this.lineScript = lineScript;
        this.ownServer = ownServer;
        this.record = record;
        if (settings.get(Settings.PROTOCOL) == Protocol.HTTP && settings.get(Settings.EXCHANGE).isPresent()) {
            throw new ExtensionConfigurationException("Invalid Leakproof setting " + Settings.PROTOCOL.key()
                    + " = 'http' with an exchange script (" + Settings.EXCHANGE.key() + "): HTTP cycles send requests, "
                    + "a script sends lines; set one of them");
        }
    }

    /**
     * A driver with the class's settings, the decided exchange and server name, and {@code observer}
     * on its runs. {@code ours} says whether {@code builder} is aimed by the extension (the fixture, or
     * a target address with the fixture's trust), whose certificate covers the varied names; a
     * builder the test returned keeps its own name.
     */
    ConnectionDriver driver(ConnectionDriver.Builder builder, boolean ours, Supplier<ConnectionDriver.Builder> probeBuilder,
            RunObserver observer) {
        if (ours) {
            builder.serverName(settings.get(Settings.SERVER_NAME));
        }
        return builder.cycles(settings.get(Settings.CYCLES))
                .concurrency(settings.get(Settings.CONCURRENCY))
                .closeStyle(settings.get(Settings.CLOSE_STYLE))
                .exchange(exchange(probeBuilder, ours))
                .runObserver(observer)
                .build();
    }

    /** The exchange every driven connection runs: decided at the first driver, probing the server if need be. */
    synchronized Exchange exchange(Supplier<ConnectionDriver.Builder> probeBuilder, boolean ours) {
        if (exchange == null) {
            exchange = decide(probeBuilder, ours);
        }
        return exchange;
    }

    private Exchange decide(Supplier<ConnectionDriver.Builder> probeBuilder, boolean ours) {
        return switch (settings.get(Settings.PROTOCOL)) {
            case HTTP -> httpRequests();
            case LINES -> lineScript;
            case HANDSHAKE_ONLY -> LineScript.empty();
            case AUTO -> {
                if (settings.get(Settings.EXCHANGE).isPresent()) {
                    yield lineScript;
                }
                if (!ownServer) {
                    yield settings.get(Settings.SERVICE) == FixtureService.HTTP ? httpRequests() : lineScript;
                }
                boolean http = hostedDecodesHttp != null ? told(hostedDecodesHttp.getAsBoolean(),
                        "the hosted pipeline decodes HTTP", "the hosted pipeline decodes no HTTP")
                        : speaksHttp(probeBuilder, ours);
                yield http ? httpRequests() : lineScript;
            }
        };
    }

    /** One connection, one HTTP request: an HTTP response says the server speaks HTTP. */
    private boolean speaksHttp(Supplier<ConnectionDriver.Builder> probeBuilder, boolean ours) {
        ConnectionDriver.Builder builder = probeBuilder.get();
        if (ours) {
            builder.serverName(settings.get(Settings.SERVER_NAME));
        }
        DriverStats stats;
        int port = builder.address().getPort();
        Set<Integer> peersBefore = ConnectionSockets.peersAtLocalPort(port);
        tracker.pause(true);
        try (ConnectionDriver driver = builder.cycles(1).concurrency(1).operationTimeout(PROBE_TIMEOUT)
                .exchange(httpRequests()).build()) {
            stats = driver.run();
        } finally {
            tracker.pause(false);
        }
        ConnectionSockets.peersAtLocalPort(port).stream().filter(p -> !peersBefore.contains(p))
                .forEach(p -> notTheTests.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
        return told(stats.cyclesCompleted() == 1, "the server answered an HTTP request",
                "the server did not answer an HTTP request (" + stats.failuresByCause().keySet() + ")");
    }

    /** Notes what the driven cycles speak, and why, where the test's report shows it. */
    private boolean told(boolean http, String whyHttp, String whyNot) {
        record.accept(Finding.note(Finding.Kind.SESSION, http
                ? "The driven cycles speak HTTP/1.1 (" + whyHttp + "): " + httpRequests()
                : "The driven cycles send " + (lineScript.isEmpty() ? "nothing after the handshake" : "the exchange script")
                        + ": " + whyNot));
        return http;
    }

    private HttpRequests httpRequests() {
        HttpRequests requests = HttpRequests.get(settings.get(Settings.REQUEST_PATH));
        var headers = settings.get(Settings.REQUEST_HEADERS);
        if (headers.isEmpty()) {
            return requests.header(HttpRequests.DEFAULT_HEADER_NAME, HttpRequests.DEFAULT_HEADER_VALUE);
        }
        for (Map.Entry<String, String> header : headers) {
            requests = requests.header(header.getKey(), header.getValue());
        }
        return requests;
    }
}
