package dev.leakproof.examples.decoder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * {@link CommandDecoder} with its leak fixed: the handler that consumes a buffer (and does not pass
 * it on) releases it. Extending {@code MessageToMessageDecoder<ByteBuf>} does the same for you.
 *
 * <pre>{@code
 * pipeline.addLast(new LineBasedFrameDecoder(1024), new FixedCommandDecoder(), new CommandHandler());
 * }</pre>
 */
final class FixedCommandDecoder extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            // THE FIX: this handler consumed the frame, so it releases it, whatever happens next.
            try {
                ctx.fireChannelRead(Command.parse(frame.toString(StandardCharsets.UTF_8)));
            } finally {
                frame.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
