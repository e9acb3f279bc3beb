package dev.leakproof.examples.heartbeat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;

/**
 * One connection's liveness: when the client was last heard from, and the heartbeat that pings it
 * and closes it once it has been silent for three intervals.
 *
 * <pre>{@code
 * HeartbeatSession session = new HeartbeatSession(ctx, Duration.ofSeconds(30));
 * heartbeats.scheduleAtFixedRate(session::beat, 30, 30, TimeUnit.SECONDS);
 * }</pre>
 */
final class HeartbeatSession {

    private final ChannelHandlerContext ctx;
    private final Duration interval;
    private volatile long lastHeardNanos = System.nanoTime();

    HeartbeatSession(ChannelHandlerContext ctx, Duration interval) {
        this.ctx = ctx;
        this.interval = interval;
    }

    Channel channel() {
        return ctx.channel();
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** Runs on the shared scheduler: pings a live client, closes a silent one. */
    void beat() {
        if (System.nanoTime() - lastHeardNanos > 3 * interval.toNanos()) {
            ctx.close();
        } else {
            ctx.writeAndFlush("PING\n");
        }
    }
}
