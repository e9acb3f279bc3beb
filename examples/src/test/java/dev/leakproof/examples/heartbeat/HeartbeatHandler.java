package dev.leakproof.examples.heartbeat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a heartbeat for each connection on the server's shared scheduler, and answers
 * {@code HELLO} with {@code HI} (any line counts as a sign of life).
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new HeartbeatHandler(heartbeats, Duration.ofSeconds(30), session -> { }));
 * }</pre>
 *
 * <p>THE LEAK: the heartbeat is never cancelled, so the scheduler's queue keeps the task, the task
 * keeps the {@link HeartbeatSession}, and the session keeps the context and the whole connection.
 * {@link FixedHeartbeatHandler} is the same handler with the fix.
 */
final class HeartbeatHandler extends SimpleChannelInboundHandler<String> {

    private final ScheduledExecutorService heartbeats;
    private final Duration interval;
    private final Consumer<HeartbeatSession> sessionOpened;
    private HeartbeatSession session;

    HeartbeatHandler(ScheduledExecutorService heartbeats, Duration interval, Consumer<HeartbeatSession> sessionOpened) {
        this.heartbeats = heartbeats;
        this.interval = interval;
        this.sessionOpened = sessionOpened;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new HeartbeatSession(ctx, interval);
        heartbeats.scheduleAtFixedRate(session::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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
}
