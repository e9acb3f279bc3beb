package dev.leakproof.examples;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The plain-text pipeline most example servers speak: one command per line in, lines out, and one
 * handler of the server's own per connection. Leakproof hosts it behind its TLS fixture server.
 *
 * <pre>{@code
 * @ServerPipeline
 * static ChannelInitializer<Channel> presenceServer(LeakTracker tracker) {
 *     return LinePipeline.withHandler(() -> new PresenceHandler(session -> tracker.track(...)));
 * }
 * }</pre>
 */
public final class LinePipeline extends ChannelInitializer<Channel> {

    private static final int MAX_LINE_LENGTH = 1024;

    // Both are @Sharable and stateless: one instance serves every connection.
    private final StringDecoder decoder = new StringDecoder(StandardCharsets.UTF_8);
    private final StringEncoder encoder = new StringEncoder(StandardCharsets.UTF_8);
    private final Supplier<? extends ChannelHandler> handlerPerConnection;

    private LinePipeline(Supplier<? extends ChannelHandler> handlerPerConnection) {
        this.handlerPerConnection = handlerPerConnection;
    }

    /** A pipeline that ends in a new handler from {@code handlerPerConnection} for each connection. */
    public static LinePipeline withHandler(Supplier<? extends ChannelHandler> handlerPerConnection) {
        return new LinePipeline(Objects.requireNonNull(handlerPerConnection, "handlerPerConnection"));
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE_LENGTH), decoder, encoder, handlerPerConnection.get());
    }
}
