package dev.leakproof.examples.closehook;

import java.net.InetSocketAddress;
import javax.net.ssl.TrustManagerFactory;

/**
 * The fixed {@link QuoteClient}: {@code close()} also takes the client off the list of open clients.
 *
 * <pre>{@code
 * try (QuoteClient quotes = FixedQuoteClient.connect(address, trustManagerFactory)) {
 *     quotes.quote("ACME");
 * }
 * }</pre>
 */
public final class FixedQuoteClient extends QuoteClient {

    private FixedQuoteClient(InetSocketAddress address, TrustManagerFactory trust) {
        super(address, trust);
    }

    public static QuoteClient connect(InetSocketAddress address, TrustManagerFactory trust) {
        return new FixedQuoteClient(address, trust);
    }

    @Override
    public void close() {
        super.close();
        OPEN_CLIENTS.remove(this);
    }
}
