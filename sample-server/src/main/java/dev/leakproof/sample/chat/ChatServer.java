package dev.leakproof.sample.chat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * A running TLS chat server: one {@link ChatHub}, a self-signed certificate made at start-up, and its own event
 * loops, all released by {@link #close()}.
 *
 * <p>Clients trust the server through {@link #trustManagerFactory()}; the certificate is valid for
 * {@code localhost} and {@code 127.0.0.1}:
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(ChatServerConfig.defaults())) {
 *     SSLContext tls = SSLContext.getInstance("TLS");
 *     tls.init(null, server.trustManagerFactory().getTrustManagers(), null);
 *     try (Socket socket = tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
 *         // LOGIN alice -> OK welcome alice ...
 *     }
 * }
 * }</pre>
 *
 * <p>Run it standalone with {@code java dev.leakproof.sample.chat.ChatServer --port 7443} and talk to it with
 * {@code openssl s_client -quiet -connect 127.0.0.1:7443}.
 */
public final class ChatServer implements AutoCloseable {
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

    private final ChatServerConfig config;
    private final ChatHub hub;
    private final TrustManagerFactory trustManagerFactory;
    private final EventLoopThreadFactory bossThreads;
    private final EventLoopThreadFactory workerThreads;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private final int port;
    private boolean closed;

    private ChatServer(ChatServerConfig config, ChatHub hub, TrustManagerFactory trustManagerFactory,
            EventLoopThreadFactory bossThreads, EventLoopThreadFactory workerThreads,
            EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel) {
        this.config = config;
        this.hub = hub;
        this.trustManagerFactory = trustManagerFactory;
        this.bossThreads = bossThreads;
        this.workerThreads = workerThreads;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
        // Read once while bound: a closed channel no longer knows its address.
        this.port = serverChannel.isActive() ? ((InetSocketAddress) serverChannel.localAddress()).getPort() : -1;
    }

    /**
     * Creates a certificate, starts the event loops and binds the server.
     *
     * @param config where to listen and the limits to apply
     * @return the running server; close it to release its port and threads
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if the certificate or TLS context cannot be created
     */
    public static ChatServer start(ChatServerConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        ServerCertificate certificate = ServerCertificate.generate();
        SslContext sslContext;
        TrustManagerFactory trustManagerFactory;
        try {
            sslContext = SslContextBuilder.forServer(certificate.keyManagerFactory()).build();
            trustManagerFactory = certificate.trustManagerFactory();
        } catch (Exception e) {
            throw new IllegalStateException("could not create the server's TLS context", e);
        }

        ChatHub hub = new ChatHub();
        ChatServerInitializer chat = new ChatServerInitializer(config, hub);
        EventLoopThreadFactory bossThreads = new EventLoopThreadFactory("chat-boss");
        EventLoopThreadFactory workerThreads = new EventLoopThreadFactory("chat-worker");
        EventLoopGroup bossGroup = nioGroup(1, bossThreads);
        EventLoopGroup workerGroup = nioGroup(0, workerThreads);
        ChannelFuture bind = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // TLS first: everything after it, the whole chat pipeline, sees plain text.
                        channel.pipeline().addLast("tls", sslContext.newHandler(channel.alloc()));
                        channel.pipeline().addLast("chatInit", chat);
                    }
                })
                .bind(config.host(), config.port())
                .awaitUninterruptibly();
        ChatServer server = new ChatServer(config, hub, trustManagerFactory, bossThreads, workerThreads,
                bossGroup, workerGroup, bind.channel());
        if (!bind.isSuccess()) {
            // Do not leave the event loops running behind a failed start.
            server.close();
            Throwable cause = bind.cause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not bind " + config.host() + ":" + config.port(), cause);
        }
        return server;
    }

    /**
     * A NIO event loop group ({@code 0} threads: Netty's default, twice the cores).
     *
     * <p>{@link NioEventLoopGroup} is the NIO group that both Netty 4.1 and 4.2 have; 4.2's
     * {@code MultiThreadIoEventLoopGroup} with {@code NioIoHandler} does not exist in 4.1. In 4.2 it is a thin
     * subclass of that class installing the same NIO handler, so the server behaves the same on both lines.
     */
    // Deprecated in Netty 4.2 only; kept on purpose so that the server runs on Netty 4.1 too (see above).
    @SuppressWarnings("deprecation")
    private static EventLoopGroup nioGroup(int threads, EventLoopThreadFactory threadFactory) {
        return new NioEventLoopGroup(threads, threadFactory);
    }

    /**
     * Returns the port the server is bound to, the chosen one if the configured port was {@code 0}.
     *
     * @return the bound port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the state shared by this server's connections.
     *
     * @return the hub
     */
    public ChatHub hub() {
        return hub;
    }

    /**
     * Returns the settings the server was started with.
     *
     * @return the configuration
     */
    public ChatServerConfig config() {
        return config;
    }

    /**
     * Returns trust material for clients: it trusts exactly this server's self-signed certificate.
     *
     * @return a trust manager factory for {@code SSLContext.init} or Netty's {@code SslContextBuilder.trustManager}
     */
    public TrustManagerFactory trustManagerFactory() {
        return trustManagerFactory;
    }

    /**
     * Stops accepting, closes every connection and ends the event-loop threads, waiting at most a few seconds.
     * When it returns normally, no thread of this server is alive. Calling it again does nothing.
     *
     * @throws IllegalStateException if called from one of the server's own event loops, which cannot wait for
     *     themselves, or if the event loops did not end in time
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (isServerThread()) {
            throw new IllegalStateException("close() would wait for its own event loop; call it from another thread");
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_TIMEOUT_SECONDS);
        serverChannel.close();
        // No quiet period: nothing is expected to arrive once the server is closing.
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boolean ended;
        try {
            ended = bossGroup.terminationFuture().await(remainingMillis(deadline))
                    && workerGroup.terminationFuture().await(remainingMillis(deadline))
                    && bossThreads.awaitThreadsEnded(deadline)
                    && workerThreads.awaitThreadsEnded(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing the chat server", e);
        }
        if (!ended) {
            throw new IllegalStateException(
                    "chat server event loops still running " + SHUTDOWN_TIMEOUT_SECONDS + " s after close()");
        }
    }

    private boolean isServerThread() {
        for (EventLoopGroup group : List.of(bossGroup, workerGroup)) {
            for (EventExecutor executor : group) {
                if (executor.inEventLoop()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public String toString() {
        return "ChatServer[" + serverChannel.localAddress() + ", " + hub + "]";
    }

    /**
     * Runs a server until the JVM is stopped (Ctrl-C).
     *
     * <pre>{@code
     * java dev.leakproof.sample.chat.ChatServer --host 127.0.0.1 --port 7443 \
     *     --max-connections 1000 --heartbeat-seconds 15 --idle-seconds 60
     * }</pre>
     *
     * @param args command-line options, see above; all optional
     * @throws IOException if the address cannot be bound
     */
    public static void main(String[] args) throws IOException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            printUsage(System.out, null);
            return;
        }
        ChatServerConfig config;
        try {
            config = parseArguments(args);
        } catch (IllegalArgumentException e) {
            printUsage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        ChatServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "chat-server-shutdown"));
        System.out.println("Chat server listening on " + config.host() + ":" + server.port()
                + " (TLS, self-signed certificate); stop with Ctrl-C");
        System.out.println("Try: openssl s_client -quiet -connect " + config.host() + ":" + server.port());
        server.serverChannel.closeFuture().awaitUninterruptibly();
    }

    static ChatServerConfig parseArguments(String... args) {
        ChatServerConfig.Builder builder = ChatServerConfig.builder().port(7443);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> builder.host(value);
                case "--port" -> builder.port(number(option, value));
                case "--max-connections" -> builder.maxConnections(number(option, value));
                case "--heartbeat-seconds" -> builder.heartbeatInterval(Duration.ofSeconds(number(option, value)));
                case "--idle-seconds" -> builder.idleTimeout(Duration.ofSeconds(number(option, value)));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return builder.build();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'", e);
        }
    }

    private static void printUsage(PrintStream out, String problem) {
        if (problem != null) {
            out.println("error: " + problem);
        }
        out.println("usage: ChatServer [--host 127.0.0.1] [--port 7443] [--max-connections 1000]");
        out.println("                  [--heartbeat-seconds 15] [--idle-seconds 60]");
    }
}
