package dev.leakproof.internal.pipeline;

import dev.leakproof.LeakTracker;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A pipeline given to the programmatic builder rather than by a {@code @ServerPipeline} method.
 *
 * <pre>{@code
 * PipelineSource source = PipelineSource.handlerPerConnection(MyHandler::new);
 * source.install(hosted, tracker);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PipelineSource {

    private final Function<LeakTracker, ChannelInitializer<Channel>> initializer;
    private final Supplier<? extends ChannelHandler> handlerPerConnection;

    private PipelineSource(Function<LeakTracker, ChannelInitializer<Channel>> initializer,
            Supplier<? extends ChannelHandler> handlerPerConnection) {
        this.initializer = initializer;
        this.handlerPerConnection = handlerPerConnection;
    }

    public static PipelineSource initializer(Function<LeakTracker, ChannelInitializer<Channel>> initializer) {
        return new PipelineSource(initializer, null);
    }

    public static PipelineSource handlerPerConnection(Supplier<? extends ChannelHandler> supplier) {
        return new PipelineSource(null, supplier);
    }

    public void install(HostedPipeline hosted, LeakTracker tracker) {
        if (initializer != null) {
            hosted.use(initializer.apply(tracker));
        } else {
            hosted.usePerConnection(handlerPerConnection);
        }
    }
}
