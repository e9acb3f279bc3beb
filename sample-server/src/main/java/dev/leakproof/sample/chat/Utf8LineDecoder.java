package dev.leakproof.sample.chat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes each framed line as UTF-8, strictly. A line that is not well-formed UTF-8 (Latin-1 text, a
 * stray continuation byte, an overlong form, an encoded surrogate) is not passed on with replacement
 * characters, which would hand mangled text to every member of a room and let two byte strings
 * log in as one name: it is refused with an {@link InvalidUtf8Exception}, which the chat handler
 * answers with {@code ERR invalid UTF-8}.
 *
 * <pre>{@code
 * pipeline.addLast(new LineBasedFrameDecoder(1024, true, true), new Utf8LineDecoder(), chatHandler);
 * }</pre>
 *
 * <p>Stateless, so one instance serves every connection.
 */
@Sharable
final class Utf8LineDecoder extends MessageToMessageDecoder<ByteBuf> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        if (!ByteBufUtil.isText(line, StandardCharsets.UTF_8)) {
            throw new InvalidUtf8Exception(line.readableBytes());
        }
        out.add(line.toString(StandardCharsets.UTF_8));
    }

    /**
     * A line that is not well-formed UTF-8. Without a stack trace: it is a client's mistake, as
     * frequent as the client likes, not a bug to locate.
     */
    static final class InvalidUtf8Exception extends DecoderException {
        private static final long serialVersionUID = 1L;

        InvalidUtf8Exception(int bytes) {
            super("a line of " + bytes + " bytes is not well-formed UTF-8");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
