package dev.leakproof.examples.decoder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * Turns each line frame (a {@link ByteBuf} from the frame decoder before it) into a
 * {@link Command} for the handlers after it.
 *
 * <pre>{@code
 * pipeline.addLast(new LineBasedFrameDecoder(1024), new CommandDecoder(), new CommandHandler());
 * }</pre>
 *
 * <p>THE LEAK: the frame is read and passed on as a Command, but never released. The buffer is
 * reference counted and pooled: the pool never gets its memory back, and nothing on the heap shows
 * it. Netty's ResourceLeakDetector notices when the ByteBuf object is garbage collected unreleased;
 * Leakproof turns that report into the test's failure. {@link FixedCommandDecoder} is the same
 * decoder with the fix.
 */
final class CommandDecoder extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            ctx.fireChannelRead(Command.parse(frame.toString(StandardCharsets.UTF_8)));
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
