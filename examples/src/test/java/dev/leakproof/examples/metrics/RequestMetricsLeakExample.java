package dev.leakproof.examples.metrics;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ServerPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A metrics counter per request URI. Our order API counts its requests in a process-wide registry,
 * tagged with the URI, and keeps every tag's counter. Each connection's own objects go when it
 * closes; what stays is a counter, its tag and its map entry for every URI ever requested. The
 * driven connections each ask for a URI of their own ({@code GET /leakproof/17?c=17}), as real
 * clients do with IDs and query strings, and Leakproof finds the registry growing by one counter
 * per connection, with the static map that holds them.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=RequestMetricsLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class RequestMetricsLeakExample {

    @ServerPipeline
    static ChannelInitializer<Channel> orderApi() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new CountingHandler());
            }
        };
    }

    @AfterAll
    static void forgetCounters() {
        RequestMetrics.clear(); // the leak is the point; the next run in this JVM starts clean
    }

    @Test
    void clientsRequestOrders() {
        // no connection of its own: the configured cycles are driven at the order API, an HTTP request each
    }
}
