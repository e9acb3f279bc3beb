package dev.leakproof.examples.httpsserver;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An order service on the JDK's own HTTPS server ({@link HttpsServer}), no framework: one handler
 * for every path, run on a small pool of worker threads.
 *
 * <pre>{@code
 * try (OrderService service = OrderService.start(sslContext, new OrderHandler())) {
 *     InetSocketAddress address = service.address();
 * }
 * }</pre>
 */
public final class OrderService implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService workers;

    private OrderService(SSLContext tls, HttpHandler handler) throws IOException {
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.workers = Executors.newFixedThreadPool(2, workerThreads());
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(workers);
        server.createContext("/", handler);
        server.start();
    }

    public static OrderService start(SSLContext tls, HttpHandler handler) throws IOException {
        return new OrderService(tls, handler);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
    }

    /** Stops the server (its dispatcher thread with it) and the worker threads. */
    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        workers.shutdown();
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the order service's workers did not end within 5 s");
        }
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "order-service-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
