package dev.leakproof.examples.certrotation;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * {@link TlsConnectionHandler} with its leak fixed: the connection unsubscribes from certificate
 * rotations when it closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedTlsConnectionHandler(connection -> metrics.opened(connection)));
 * }</pre>
 */
final class FixedTlsConnectionHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<TlsConnection> connectionOpened;
    private TlsConnection connection;

    FixedTlsConnectionHandler(Consumer<TlsConnection> connectionOpened) {
        this.connectionOpened = connectionOpened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            connection = new TlsConnection(ctx, ctx.pipeline().get(SslHandler.class).engine());
            CertificateRotationNotifier.global().addListener(connection);
            connectionOpened.accept(connection);
            ctx.writeAndFlush("READY " + connection.protocol() + "\n");
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        ctx.writeAndFlush(line.equals("PING") ? "PONG\n" : "ERR unknown command\n");
    }

    // THE FIX: whoever subscribes a per-connection object unsubscribes it when the connection ends.
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            CertificateRotationNotifier.global().removeListener(connection);
        }
        ctx.fireChannelInactive();
    }
}
