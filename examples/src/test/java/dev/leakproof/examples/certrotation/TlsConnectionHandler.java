package dev.leakproof.examples.certrotation;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Wraps each connection in a {@link TlsConnection} once its handshake succeeds, and subscribes it
 * to certificate rotations; says {@code READY <protocol>} and answers {@code PING}.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new TlsConnectionHandler(connection -> metrics.opened(connection)));
 * }</pre>
 *
 * <p>THE LEAK: the connection never unsubscribes, so the global notifier keeps every
 * TlsConnection, and with it the context, the pipeline, the channel and the SSLEngine.
 * {@link FixedTlsConnectionHandler} is the same handler with the fix.
 */
final class TlsConnectionHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<TlsConnection> connectionOpened;
    private TlsConnection connection;

    TlsConnectionHandler(Consumer<TlsConnection> connectionOpened) {
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
}
