package dev.leakproof.examples.metrics;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ServerPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link RequestMetricsLeakExample}: requests are counted by route
 * ({@link FixedCountingHandler}), so every driven URI lands under {@code other}, and the registry
 * keeps a handful of counters whatever the clients ask for.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(RequestMetricsFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class RequestMetricsFixedExample {

    @ServerPipeline
    static ChannelInitializer<Channel> orderApi() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new FixedCountingHandler());
            }
        };
    }

    @Test
    void clientsRequestOrders() {
        // no connection of its own: the configured cycles are driven at the order API, an HTTP request each
    }
}
