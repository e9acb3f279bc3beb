package dev.leakproof.examples.presence;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * {@link PresenceHandler} with its leak fixed: the session leaves {@link OnlineUsers} when the
 * connection closes, however it closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedPresenceHandler(session -> metrics.sessionOpened(session)));
 * }</pre>
 */
final class FixedPresenceHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<PresenceSession> sessionOpened;
    private PresenceSession session;

    FixedPresenceHandler(Consumer<PresenceSession> sessionOpened) {
        this.sessionOpened = sessionOpened;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        if (line.startsWith("HELLO ") && session == null) {
            session = new PresenceSession(ctx.channel(), line.substring("HELLO ".length()).strip());
            OnlineUsers.add(session);
            sessionOpened.accept(session);
            ctx.writeAndFlush("WELCOME " + session.user() + ", " + OnlineUsers.count() + " online\n");
        } else if (line.equals("WHO")) {
            ctx.writeAndFlush("ONLINE " + String.join(",", OnlineUsers.names()) + "\n");
        } else {
            ctx.writeAndFlush("ERR unknown command\n");
        }
    }

    // THE FIX: channelInactive runs for every way a connection ends (QUIT, peer close, reset, timeout).
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            OnlineUsers.remove(session);
        }
        ctx.fireChannelInactive();
    }
}
