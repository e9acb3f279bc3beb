package dev.leakproof.sample.chat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a connection only while fewer than {@code maxConnections} are open; any other is told
 * {@code ERR server full} and closed.
 *
 * <p>Shared by every channel of a server; the count lives in the {@link ChatHub}. A rejected channel never sees
 * {@code channelActive} further down the pipeline, so it never gets a session.
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    static final String SERVER_FULL = "ERR server full";

    private final ChatHub hub;
    private final int maxConnections;

    ConnectionLimitHandler(ChatHub hub, int maxConnections) {
        this.hub = hub;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (hub.tryAdmitConnection(maxConnections)) {
            // The close future completes exactly once per channel on every close path (QUIT, peer close, reset,
            // idle timeout, exception, event loop shutdown), so the count cannot drift; channelInactive would
            // also work but only if no handler before this one swallows it.
            ctx.channel().closeFuture().addListener(future -> hub.releaseConnection());
            ctx.fireChannelActive();
        } else {
            hub.refused(ChatHub.Refusal.SERVER_FULL);
            // This handler sits before the line encoder, so it writes the encoded line itself.
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), SERVER_FULL + "\n"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
