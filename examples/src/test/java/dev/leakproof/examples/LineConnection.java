package dev.leakproof.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * One TLS connection of a line-based client library written on Netty, the way such libraries are
 * written: every client shares one global event loop group, started on first use and never shut
 * down (it lives as long as the JVM, by design), and each connection asks a line and reads one back.
 *
 * <pre>{@code
 * LineConnection connection = LineConnection.open(address, "localhost", trustManagerFactory);
 * String answer = connection.ask("QUOTE ACME");
 * connection.close();
 * }</pre>
 */
public final class LineConnection implements AutoCloseable {

    private static EventLoopGroup group;

    private final Channel channel;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private LineConnection(InetSocketAddress address, String host, SslContext tls) {
        this.channel = new Bootstrap().group(globalGroup()).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, address.getPort()),
                                new LineBasedFrameDecoder(4096), new StringDecoder(StandardCharsets.UTF_8),
                                new StringEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                        lines.add(line);
                                    }
                                });
                    }
                }).connect(address).syncUninterruptibly().channel();
    }

    /** Opens a connection that trusts the server through {@code trust}. */
    public static LineConnection open(InetSocketAddress address, String host, TrustManagerFactory trust) {
        try {
            return new LineConnection(address, host, SslContextBuilder.forClient().trustManager(trust).build());
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }

    /** The library's one event loop group, started by its first connection; its threads live on, by design. */
    @SuppressWarnings("deprecation") // NioEventLoopGroup: the event loop group that exists in Netty 4.1 and 4.2
    private static synchronized EventLoopGroup globalGroup() {
        if (group == null) {
            group = new NioEventLoopGroup(2);
        }
        return group;
    }

    /** Sends {@code line} and waits (at most 5 s) for the answer. */
    public String ask(String line) {
        channel.writeAndFlush(line + "\n");
        try {
            String answer = lines.poll(5, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("no answer to '" + line + "' within 5 s");
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
