package dev.leakproof.examples.facade;

import dev.leakproof.examples.LineConnection;
import java.net.InetSocketAddress;
import javax.net.ssl.TrustManagerFactory;

/**
 * A price feed client as a library ships it: a small public facade over an internal
 * {@link Connection}. The connection registers an exit hook so that a forgotten client still closes
 * on JVM exit. The facade's {@code close()} closes the connection but never unregisters the hook:
 * the facade itself is collected, while every closed connection stays reachable from the hook list.
 * With {@code unregisterOnClose} the hook goes too.
 *
 * <pre>{@code
 * try (FeedClient feed = FeedClient.connect(address, trustManagerFactory, true)) {
 *     String tick = feed.latest("ACME");
 * }
 * }</pre>
 */
public final class FeedClient implements AutoCloseable {

    private final Connection connection;

    private FeedClient(Connection connection) {
        this.connection = connection;
    }

    public static FeedClient connect(InetSocketAddress address, TrustManagerFactory trust, boolean unregisterOnClose) {
        return new FeedClient(new Connection(LineConnection.open(address, "localhost", trust), unregisterOnClose));
    }

    public String latest(String symbol) {
        return connection.line.ask("LATEST " + symbol);
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The client's internal implementation: what actually holds the connection. */
    static final class Connection {
        private final LineConnection line;
        private final boolean unregisterOnClose;
        private final Runnable exitHook;

        Connection(LineConnection line, boolean unregisterOnClose) {
            this.line = line;
            this.unregisterOnClose = unregisterOnClose;
            this.exitHook = this::closeQuietly;
            ExitHooks.register(exitHook);
        }

        void closeQuietly() {
            line.close();
        }

        void close() {
            line.close();
            if (unregisterOnClose) {
                ExitHooks.unregister(exitHook);
            }
        }
    }
}
