package dev.leakproof.examples.httpsserver;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * The fixed {@link OrderHandler}: a request leaves the map of requests in flight when its exchange
 * ends, answered or failed.
 *
 * <pre>{@code
 * OrderService service = OrderService.start(sslContext, new FixedOrderHandler());
 * }</pre>
 */
public final class FixedOrderHandler extends OrderHandler {

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            super.handle(exchange);
        } finally {
            IN_FLIGHT.remove(exchange);
        }
    }
}
