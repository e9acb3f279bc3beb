package dev.leakproof.examples.metrics;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.regex.Pattern;

/**
 * The fixed {@link CountingHandler}: it tags a request with its route, the template of the path
 * ({@code /orders/{id}}), not the URI, and counts every path the API does not serve under one
 * {@code other} tag. The tags are as many as the routes, whatever the clients send.
 *
 * <pre>{@code
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new FixedCountingHandler());
 * }</pre>
 */
public final class FixedCountingHandler extends CountingHandler {

    private static final Pattern ORDER = Pattern.compile("/orders/[^/]+");

    @Override
    protected String tagOf(String uri) {
        String path = new QueryStringDecoder(uri).path();
        if (path.equals("/orders") || path.equals("/health")) {
            return path;
        }
        return ORDER.matcher(path).matches() ? "/orders/{id}" : "other";
    }
}
