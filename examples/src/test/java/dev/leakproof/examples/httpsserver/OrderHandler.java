package dev.leakproof.examples.httpsserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers the order API's requests, and keeps every request in flight in a static map with the
 * time it started, so that an admin page can list the slow ones and a shutdown can wait for them.
 * Nothing takes an exchange out once it is answered: the map keeps every {@link HttpExchange} the
 * server ever served, and with it the server's connection object and the TLS engine of a
 * connection long closed. {@link FixedOrderHandler} takes each exchange out when it ends.
 *
 * <pre>{@code
 * OrderService service = OrderService.start(sslContext, new OrderHandler());
 * }</pre>
 */
public class OrderHandler implements HttpHandler {

    /** Requests in flight, for the admin page: when each started. */
    static final Map<HttpExchange, Instant> IN_FLIGHT = new ConcurrentHashMap<>();

    private static final byte[] NO_ORDERS = "{\"orders\":[]}\n".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        IN_FLIGHT.put(exchange, Instant.now());
        try (InputStream request = exchange.getRequestBody(); OutputStream response = exchange.getResponseBody()) {
            request.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, NO_ORDERS.length);
            response.write(NO_ORDERS);
        } // ...and the exchange stays in IN_FLIGHT
    }

    /** Forgets every exchange, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void forgetAll() {
        IN_FLIGHT.clear();
    }
}
