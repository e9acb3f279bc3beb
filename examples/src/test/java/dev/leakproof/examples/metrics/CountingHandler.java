package dev.leakproof.examples.metrics;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;

/**
 * Answers every request of the order API and counts it in {@link RequestMetrics}, tagged with the
 * request's URI: "a metrics tag per URI", so that the dashboard can show which URLs are hit. A URI
 * carries IDs and query strings, so every order, every search and every client that adds a query
 * makes a tag of its own, and the registry keeps each one's counter for good. This is the
 * "high-cardinality tag" that metrics libraries warn about: the registry grows with the requests,
 * and a client can grow it at will. {@link FixedCountingHandler} tags by route.
 *
 * <pre>{@code
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new CountingHandler());
 * }</pre>
 */
public class CountingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        RequestMetrics.count(tagOf(request.uri()));
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                Unpooled.copiedBuffer("{\"orders\":[]}\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The tag a request is counted under: its URI, path and query. */
    protected String tagOf(String uri) {
        return uri;
    }
}
