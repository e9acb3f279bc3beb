package dev.leakproof.examples.presence;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * The presence service as first written: {@code HELLO <user>} puts the user on the online list,
 * {@code WHO} lists everyone online.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new PresenceHandler(session -> metrics.sessionOpened(session)));
 * }</pre>
 *
 * <p>THE LEAK: nothing takes the session off {@link OnlineUsers} when the connection closes.
 * {@link FixedPresenceHandler} is the same handler with the one-method fix.
 */
final class PresenceHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<PresenceSession> sessionOpened;
    private PresenceSession session;

    /** {@code sessionOpened} is told about each new session (metrics, or a leak test's tracker). */
    PresenceHandler(Consumer<PresenceSession> sessionOpened) {
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
}
