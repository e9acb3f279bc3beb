package com.example.greeting;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A line protocol: {@code HELLO name} answers {@code WELCOME name (n online)}. The version released
 * first forgot to take a closed connection's session out of {@link OnlineUsers}: {@code forgetOnClose}
 * tells the fixed version from it.
 */
public final class GreetingServerInitializer extends ChannelInitializer<Channel> {

    private final OnlineUsers online;
    private final boolean forgetOnClose;

    public GreetingServerInitializer(OnlineUsers online, boolean forgetOnClose) {
        this.online = online;
        this.forgetOnClose = forgetOnClose;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                new StringEncoder(StandardCharsets.UTF_8), new GreetingHandler());
    }

    private final class GreetingHandler extends SimpleChannelInboundHandler<String> {
        private GreetingSession session;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            session = new GreetingSession(ctx.channel());
            online.add(session);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (line.startsWith("HELLO ")) {
                session.name(line.substring(6));
                ctx.writeAndFlush("WELCOME " + session.name() + " (" + online.count() + " online)\n");
            } else {
                ctx.writeAndFlush("ERROR unknown command\n");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (forgetOnClose) {
                online.remove(session);
            }
            ctx.fireChannelInactive();
        }
    }
}
