package dev.leakproof.examples.sessioncache;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * {@code LOGIN <user>} puts a {@link UserSession} in the {@link SessionCache}, {@code WHOAMI}
 * reads it, {@code QUIT} removes it, says {@code BYE} and closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new SessionCacheHandler(sessions, session -> { }));
 * }</pre>
 *
 * <p>THE LEAK: the session is removed on the polite {@code QUIT} path only. A client that
 * disconnects without {@code QUIT} (a reset, a crash, a mobile network going away) stays in the
 * cache for good. {@link FixedSessionCacheHandler} is the same handler with the fix.
 */
final class SessionCacheHandler extends SimpleChannelInboundHandler<String> {

    private final SessionCache sessions;
    private final Consumer<UserSession> sessionOpened;

    SessionCacheHandler(SessionCache sessions, Consumer<UserSession> sessionOpened) {
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
            sessions.remove(ctx.channel());
            ctx.writeAndFlush("BYE\n").addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush("ERR unknown command\n");
        }
    }
}
