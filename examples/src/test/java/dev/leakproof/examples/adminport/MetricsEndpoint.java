package dev.leakproof.examples.adminport;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A service's metrics endpoint on loopback, for the node's scraper: each connection gets the
 * current metrics as text. It lives as long as the service. At startup the service calls
 * {@link #tryStart(int)} on its admin port; when the port is busy (during a rolling restart, the
 * previous instance still holds it while it drains), the service retries every few seconds until it
 * is free. {@link #close()}, at shutdown, closes every listener the endpoint opened.
 *
 * <pre>{@code
 * MetricsEndpoint metrics = new MetricsEndpoint(registry::scrape);
 * while (!metrics.tryStart(9404)) {
 *     Thread.sleep(2_000); // the old instance still holds the port
 * }
 * ...
 * metrics.close(); // at shutdown
 * }</pre>
 *
 * <p>THE LEAK: the listener is registered for shutdown before it is bound, and a failed bind
 * neither closes it nor takes it out of that list: every failed attempt leaves an open server
 * socket channel, one file descriptor, for the life of the service. {@link FixedMetricsEndpoint}
 * closes it.
 */
class MetricsEndpoint implements Closeable {

    /** Every listener opened, closed at shutdown. */
    final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<String> metrics;

    MetricsEndpoint(Supplier<String> metrics) {
        this.metrics = metrics;
    }

    /** Listens on {@code port} of the loopback address and serves; false when the port is taken. */
    boolean tryStart(int port) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listeners.add(listener);
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException busy) {
            return false; // ...and the unbound listener stays open, in listeners
        }
        serve(listener);
        return true;
    }

    /** Answers every connection with the current metrics, on a thread of its own, until the listener closes. */
    final void serve(ServerSocketChannel listener) {
        Thread acceptor = new Thread(() -> {
            while (listener.isOpen()) {
                try (SocketChannel scraper = listener.accept()) {
                    scraper.write(ByteBuffer.wrap(metrics.get().getBytes(StandardCharsets.UTF_8)));
                } catch (IOException closedOrReset) {
                    // the listener closed (shutdown), or one scraper went away: the loop condition decides
                }
            }
        }, "metrics-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close() throws IOException {
        for (ServerSocketChannel listener : listeners) {
            listener.close();
        }
        listeners.clear();
    }
}
