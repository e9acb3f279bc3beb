package dev.leakproof.examples.threadlocal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;

/**
 * {@link TenantHandler} with its leak fixed: the ThreadLocal is cleared after each line, so the
 * event loop thread holds no session between reads.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedTenantHandler(session -> { }));
 * }</pre>
 */
final class FixedTenantHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<TenantSession> sessionOpened;
    private TenantSession session;

    FixedTenantHandler(Consumer<TenantSession> sessionOpened) {
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
        // THE FIX: a ThreadLocal set for one message is cleared when that message is done.
        try {
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
        } finally {
            TenantContext.clear();
        }
    }
}
