package dev.leakproof.examples.threadlocal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * {@code TENANT <name>} picks the tenant, {@code USAGE} reports the requests counted for it; each
 * line is handled with the connection's {@link TenantSession} in {@link TenantContext}.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new TenantHandler(session -> { }));
 * }</pre>
 *
 * <p>THE LEAK: the ThreadLocal is set for each line and never cleared, so each event loop thread
 * keeps the session of the last connection it served, and with it that whole connection. Only
 * one connection per thread leaks (1 or 2 of N with two event loops): far too few to notice in
 * a memory graph. {@link FixedTenantHandler} is the same handler with the fix.
 */
final class TenantHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<TenantSession> sessionOpened;
    private TenantSession session;

    TenantHandler(Consumer<TenantSession> sessionOpened) {
        this.sessionOpened = sessionOpened;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new TenantSession(ctx.channel());
        sessionOpened.accept(session);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        TenantContext.set(session);
        Quotas.countRequest();
        if (line.startsWith("TENANT ")) {
            session.tenant(line.substring("TENANT ".length()).strip());
            ctx.writeAndFlush("OK " + session.tenant() + "\n");
        } else if (line.equals("USAGE")) {
            TenantSession current = TenantContext.current();
            ctx.writeAndFlush("USAGE " + current.tenant() + " " + current.requests() + " requests\n");
        } else {
            ctx.writeAndFlush("ERR unknown command\n");
        }
    }
}
