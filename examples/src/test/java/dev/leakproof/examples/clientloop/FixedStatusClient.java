package dev.leakproof.examples.clientloop;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The fixed {@link StatusClient}: {@code close()} also takes the client off the list of open clients.
 *
 * <pre>{@code
 * try (StatusClient status = FixedStatusClient.connect(address, "localhost", sslContext)) {
 *     status.get("/health");
 * }
 * }</pre>
 */
public final class FixedStatusClient extends StatusClient {

    private FixedStatusClient(InetSocketAddress address, String host, SSLContext tls) {
        super(address, host, tls);
    }

    public static StatusClient connect(InetSocketAddress address, String host, SSLContext tls) {
        return new FixedStatusClient(address, host, tls);
    }

    @Override
    public void close() {
        super.close();
        OPEN_CLIENTS.remove(this);
    }
}
