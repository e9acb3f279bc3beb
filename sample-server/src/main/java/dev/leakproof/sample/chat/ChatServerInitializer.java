package dev.leakproof.sample.chat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Builds the plain-text chat pipeline of one connection: connection limit, line framing, strict UTF-8 codec,
 * heartbeat and idle detection, and the chat protocol itself.
 *
 * <p>It adds no TLS, so any server can put its own {@code SslHandler} in front of it; {@link ChatServer} does
 * exactly that:
 *
 * <pre>{@code
 * ChatHub hub = new ChatHub();
 * ChatServerInitializer chat = new ChatServerInitializer(ChatServerConfig.defaults(), hub);
 * bootstrap.childHandler(new ChannelInitializer<Channel>() {
 *     protected void initChannel(Channel ch) {
 *         ch.pipeline().addLast(sslContext.newHandler(ch.alloc()), chat);
 *     }
 * });
 * }</pre>
 *
 * <p>One instance serves all connections of a server: handlers with per-connection state are created per
 * channel, and only the stateless codecs and the connection limit are shared.
 */
public final class ChatServerInitializer extends ChannelInitializer<Channel> {
    static final String CONNECTION_LIMIT = "connectionLimit";
    static final String LINE_FRAMER = "lineFramer";
    static final String LINE_DECODER = "lineDecoder";
    static final String LINE_ENCODER = "lineEncoder";
    static final String IDLE = "idle";
    static final String CHAT = "chat";

    private final ChatServerConfig config;
    private final ChatHub hub;
    private final ConnectionLimitHandler connectionLimit;
    private final Utf8LineDecoder lineDecoder = new Utf8LineDecoder();
    private final LineEncoder lineEncoder = new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8);

    /**
     * Creates the initializer of one server.
     *
     * @param config limits and timeouts; its host and port are not used here
     * @param hub the state shared by all connections of the server
     */
    public ChatServerInitializer(ChatServerConfig config, ChatHub hub) {
        this.config = Objects.requireNonNull(config, "config");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.connectionLimit = new ConnectionLimitHandler(hub, config.maxConnections());
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // First, so a refused connection costs no decoding and never reaches the chat handler's channelActive.
        pipeline.addLast(CONNECTION_LIMIT, connectionLimit);
        // failFast: reject as soon as the limit is passed instead of buffering up to the next newline.
        pipeline.addLast(LINE_FRAMER, new LineBasedFrameDecoder(config.maxLineLength(), true, true));
        pipeline.addLast(LINE_DECODER, lineDecoder);
        pipeline.addLast(LINE_ENCODER, lineEncoder);
        pipeline.addLast(IDLE, new IdleStateHandler(
                config.idleTimeout().toNanos(), config.heartbeatInterval().toNanos(), 0, TimeUnit.NANOSECONDS));
        pipeline.addLast(CHAT, new ChatHandler(hub));
    }
}
