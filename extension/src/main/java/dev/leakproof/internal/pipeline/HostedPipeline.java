package dev.leakproof.internal.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The pipeline the fixture server hosts, switchable per test: one server serves the whole test
 * class, while an instance {@code @ServerPipeline} method belongs to each test's own instance.
 *
 * <pre>{@code
 * HostedPipeline hosted = new HostedPipeline();
 * TlsFixtureServer server = TlsFixtureServer.builder().pipelinePerConnection(hosted).start();
 * hosted.usePerConnection(MyHandler::new); // connections accepted from now on
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HostedPipeline implements Supplier<ChannelInitializer<Channel>> {

    private volatile ChannelInitializer<Channel> initializer;
    private volatile Supplier<? extends ChannelHandler> handlerPerConnection;

    /** Hosts {@code initializer} for connections accepted from now on. */
    public void use(ChannelInitializer<Channel> initializer) {
        this.initializer = initializer;
        this.handlerPerConnection = null;
    }

    /** Hosts one handler from {@code supplier} per connection accepted from now on. */
    public void usePerConnection(Supplier<? extends ChannelHandler> supplier) {
        this.handlerPerConnection = supplier;
        this.initializer = null;
    }

    /**
     * The pipeline for the connection being accepted; the fixture server runs its
     * {@code initChannel} itself, so that what the user's code throws there reaches the test.
     */
    @Override
    public ChannelInitializer<Channel> get() {
        ChannelInitializer<Channel> init = initializer;
        Supplier<? extends ChannelHandler> perConnection = handlerPerConnection;
        if (init != null) {
            return init;
        }
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (perConnection != null) {
                    ch.pipeline().addLast(perConnection.get());
                }
            }
        };
    }

    /**
     * Whether the hosted pipeline decodes HTTP requests, told without a connection: its initializer
     * runs on a channel that is never registered, so no handler's callbacks run and nothing is read
     * or written; only the handlers' constructors do. A connection would run the user's per-connection
     * code (a heartbeat, a registry entry) once more than the test asked for.
     */
    public boolean decodesHttp() {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        try {
            Method initChannel = ChannelInitializer.class.getDeclaredMethod("initChannel", Channel.class);
            initChannel.setAccessible(true);
            initChannel.invoke(get(), channel);
            return channel.pipeline().toMap().values().stream()
                    .anyMatch(handler -> handler.getClass().getName().startsWith("io.netty.handler.codec.http."));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // the pipeline cannot be set up apart from a connection: not told, so not HTTP
        }
    }
}
