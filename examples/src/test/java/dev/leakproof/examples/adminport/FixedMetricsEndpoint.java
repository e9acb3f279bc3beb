package dev.leakproof.examples.adminport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.function.Supplier;

/**
 * {@link MetricsEndpoint} with its leak fixed: a listener that fails to bind is closed at once, and
 * only a bound listener is registered for shutdown.
 *
 * <pre>{@code
 * MetricsEndpoint metrics = new FixedMetricsEndpoint(registry::scrape);
 * while (!metrics.tryStart(9404)) {
 *     Thread.sleep(2_000);
 * }
 * }</pre>
 */
final class FixedMetricsEndpoint extends MetricsEndpoint {

    FixedMetricsEndpoint(Supplier<String> metrics) {
        super(metrics);
    }

    @Override
    boolean tryStart(int port) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            listener.close(); // THE FIX: a listener that could not bind is closed, not kept
            if (e instanceof BindException) {
                return false;
            }
            throw e;
        }
        listeners.add(listener);
        serve(listener);
        return true;
    }
}
