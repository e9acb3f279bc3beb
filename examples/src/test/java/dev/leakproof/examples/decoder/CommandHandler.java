package dev.leakproof.examples.decoder;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Answers decoded commands: {@code ECHO <text>} with the text, {@code TIME} with the server time.
 *
 * <pre>{@code
 * pipeline.addLast(new LineBasedFrameDecoder(1024), new FixedCommandDecoder(), new CommandHandler());
 * }</pre>
 */
final class CommandHandler extends SimpleChannelInboundHandler<Command> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Command command) {
        String reply = switch (command.verb()) {
            case "ECHO" -> command.argument();
            case "TIME" -> Long.toString(System.currentTimeMillis());
            default -> "ERR unknown command";
        };
        ctx.writeAndFlush(reply + "\n");
    }
}
