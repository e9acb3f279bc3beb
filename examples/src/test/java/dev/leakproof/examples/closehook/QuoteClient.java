package dev.leakproof.examples.closehook;

import dev.leakproof.examples.LineConnection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stock quote client, as a client library might ship it: each client registers itself with a
 * process-wide list of open clients, closed on JVM exit for users who forget {@code close()}. Its
 * {@code close()} closes the connection but forgets to take the client off that list, so every
 * closed client (and its Netty channel) stays reachable for the life of the JVM. The server sees
 * every connection close; no thread or descriptor is left; only the heap grows.
 * {@link FixedQuoteClient} takes itself off the list.
 *
 * <pre>{@code
 * try (QuoteClient quotes = QuoteClient.connect(address, trustManagerFactory)) {
 *     String price = quotes.quote("ACME");
 * }
 * }</pre>
 */
public class QuoteClient implements AutoCloseable {

    /** Closed on JVM exit: the library's safety net for clients nobody closed. */
    static final List<QuoteClient> OPEN_CLIENTS = new CopyOnWriteArrayList<>();

    private final LineConnection connection;

    protected QuoteClient(InetSocketAddress address, TrustManagerFactory trust) {
        this.connection = LineConnection.open(address, "localhost", trust);
        OPEN_CLIENTS.add(this);
    }

    public static QuoteClient connect(InetSocketAddress address, TrustManagerFactory trust) {
        return new QuoteClient(address, trust);
    }

    /** The quote for {@code symbol} (the fixture's echo service answers with the request itself). */
    public String quote(String symbol) {
        return connection.ask("QUOTE " + symbol);
    }

    @Override
    public void close() {
        connection.close(); // ...and the client stays in OPEN_CLIENTS
    }

    /** Forgets every client, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void forgetAll() {
        OPEN_CLIENTS.clear();
    }
}
