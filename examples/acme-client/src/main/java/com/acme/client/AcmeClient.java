package com.acme.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A TLS connection to an ACME line server: one question per line, one answer per line, recent
 * answers cached. Created by {@link AcmeCore#createClient}, on the core's event loops; the core
 * closes it at its own shutdown if the application did not.
 *
 * <pre>{@code
 * try (AcmeClient quotes = core.createClient(options)) {
 *     String price = quotes.ask("QUOTE ACME");
 * }
 * }</pre>
 *
 * <p>Known issue in 2.3.1 (THE LEAK of the acme example): {@link #close()} closes the connection
 * but does not take the client out of its core's close hooks, so a core that lives as long as the
 * application keeps every client it created, with its channel, its reply handler, its cache and its
 * close promise. Until a version that does, call {@code core.removeCloseHook(client)} after
 * {@code close()}, or share one client for all requests, as this library recommends anyway.
 */
public final class AcmeClient implements Closeable {

    private final Channel channel;
    private final ReplyHandler replies;
    private final ResponseCache cache;
    private final Promise<Void> closed;
    private final AcmeClientOptions options;

    private AcmeClient(Channel channel, ReplyHandler replies, AcmeClientOptions options) {
        this.channel = channel;
        this.replies = replies;
        this.options = options;
        this.cache = new ResponseCache(options.getCacheSize(), options.getCacheMaxAge());
        this.closed = channel.eventLoop().newPromise();
    }

    static AcmeClient connect(AcmeCore core, AcmeClientOptions options) {
        SslContext tls = clientTls(options);
        ReplyHandler replies = new ReplyHandler();
        Channel channel = new Bootstrap().group(core.eventLoops()).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), options.getHost(), options.getPort()),
                                new LineBasedFrameDecoder(8192), new StringDecoder(StandardCharsets.UTF_8),
                                new StringEncoder(StandardCharsets.UTF_8), replies);
                    }
                }).connect(options.getHost(), options.getPort()).syncUninterruptibly().channel();
        channel.pipeline().get(SslHandler.class).handshakeFuture().syncUninterruptibly();
        return new AcmeClient(channel, replies, options);
    }

    private static SslContext clientTls(AcmeClientOptions options) {
        try {
            return SslContextBuilder.forClient().trustManager(options.getTrustManagerFactory()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }

    /** The server's answer to {@code question}, or a cached one no older than the options allow. */
    public String ask(String question) {
        String cached = cache.get(question);
        if (cached != null) {
            return cached;
        }
        Promise<String> reply = channel.eventLoop().newPromise();
        // On the event loop, so that the reply is expected before the question can be answered.
        channel.eventLoop().execute(() -> {
            replies.expect(reply);
            channel.writeAndFlush(question + "\n");
        });
        if (!reply.awaitUninterruptibly(options.getReplyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no answer to '" + question + "' within " + options.getReplyTimeout());
        }
        if (!reply.isSuccess()) {
            throw new IllegalStateException("no answer to '" + question + "'", reply.cause());
        }
        cache.put(question, reply.getNow());
        return reply.getNow();
    }

    /** Completes when this client is closed. */
    public Future<Void> closeFuture() {
        return closed;
    }

    /** Closes the connection (and, in this version, nothing else: see the class comment). */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        closed.trySuccess(null);
        // the known issue: no core.removeCloseHook(this), so the core keeps this closed client
    }
}
