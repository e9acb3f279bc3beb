package com.acme.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Completes a client's pending questions with the lines the server answers, in order. */
final class ReplyHandler extends SimpleChannelInboundHandler<String> {

    private final Queue<Promise<String>> pending = new ConcurrentLinkedQueue<>();

    void expect(Promise<String> reply) {
        pending.add(reply);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        Promise<String> reply = pending.poll();
        if (reply != null) {
            reply.trySuccess(line);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Promise<String> reply; (reply = pending.poll()) != null; ) {
            reply.tryFailure(new ClosedChannelException());
        }
        ctx.fireChannelInactive();
    }
}
