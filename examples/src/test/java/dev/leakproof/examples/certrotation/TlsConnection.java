package dev.leakproof.examples.certrotation;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import javax.net.ssl.SSLEngine;

/**
 * The server's view of one TLS connection: its context and TLS engine, and what to do when the
 * certificate it was served with is rotated (ask the client to reconnect and pick up the new one).
 *
 * <pre>{@code
 * TlsConnection connection = new TlsConnection(ctx, ctx.pipeline().get(SslHandler.class).engine());
 * CertificateRotationNotifier.global().addListener(connection);
 * }</pre>
 */
final class TlsConnection implements CertificateRotationListener {

    private final ChannelHandlerContext ctx;
    private final SSLEngine engine;

    TlsConnection(ChannelHandlerContext ctx, SSLEngine engine) {
        this.ctx = ctx;
        this.engine = engine;
    }

    Channel channel() {
        return ctx.channel();
    }

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    @Override
    public void certificateRotated(String newSerialNumber) {
        ctx.writeAndFlush("RECONNECT certificate rotated to " + newSerialNumber + "\n").addListener(f -> ctx.close());
    }
}
