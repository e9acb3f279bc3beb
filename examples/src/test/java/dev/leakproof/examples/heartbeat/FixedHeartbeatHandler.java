package dev.leakproof.examples.heartbeat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link HeartbeatHandler} with its leak fixed: the heartbeat is cancelled when the connection
 * closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedHeartbeatHandler(heartbeats, Duration.ofSeconds(30), session -> { }));
 * }</pre>
 */
final class FixedHeartbeatHandler extends SimpleChannelInboundHandler<String> {

    private final ScheduledExecutorService heartbeats;
    private final Duration interval;
    private final Consumer<HeartbeatSession> sessionOpened;
    private HeartbeatSession session;
    private ScheduledFuture<?> heartbeat;

    FixedHeartbeatHandler(ScheduledExecutorService heartbeats, Duration interval,
            Consumer<HeartbeatSession> sessionOpened) {
        this.heartbeats = heartbeats;
        this.interval = interval;
        this.sessionOpened = sessionOpened;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new HeartbeatSession(ctx, interval);
        heartbeat = heartbeats.scheduleAtFixedRate(session::beat, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        sessionOpened.accept(session);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        session.heard();
        if (line.equals("HELLO")) {
            ctx.writeAndFlush("HI\n");
        }
    }

    // THE FIX: a task scheduled for a connection is cancelled when the connection ends.
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
