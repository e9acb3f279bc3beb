package dev.leakproof.examples.sessioncache;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * {@link SessionCacheHandler} with its leak fixed: the session leaves the cache in
 * {@code channelInactive}, which runs however the connection ends; {@code QUIT} only says
 * goodbye and closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedSessionCacheHandler(sessions, session -> { }));
 * }</pre>
 */
final class FixedSessionCacheHandler extends SimpleChannelInboundHandler<String> {

    private final SessionCache sessions;
    private final Consumer<UserSession> sessionOpened;

    FixedSessionCacheHandler(SessionCache sessions, Consumer<UserSession> sessionOpened) {
        this.sessions = sessions;
        this.sessionOpened = sessionOpened;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        UserSession session = sessions.get(ctx.channel());
        if (session != null) {
            session.record(line);
        }
        if (line.startsWith("LOGIN ") && session == null) {
            UserSession created = new UserSession(ctx.channel(), line.substring("LOGIN ".length()).strip());
            sessions.put(ctx.channel(), created);
            sessionOpened.accept(created);
            ctx.writeAndFlush("OK " + created.user() + "\n");
        } else if (line.equals("WHOAMI")) {
            ctx.writeAndFlush(session == null ? "ERR login first\n" : "YOU ARE " + session.user() + "\n");
        } else if (line.equals("QUIT")) {
            ctx.writeAndFlush("BYE\n").addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush("ERR unknown command\n");
        }
    }

    // THE FIX: clean up where every close path passes, not on the one path a polite client takes.
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sessions.remove(ctx.channel());
        ctx.fireChannelInactive();
    }
}
