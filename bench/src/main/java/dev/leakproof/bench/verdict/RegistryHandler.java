package dev.leakproof.bench.verdict;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The leak the verdict benchmarks judge (seed 001's): each connection's handler adds itself to a
 * static list; the clean twin removes itself when its connection closes, the leaky one never does. The
 * handler keeps its context, as most do, so a leaked handler keeps its channel, pipeline and TLS engine.
 *
 * <pre>{@code
 * TlsFixtureServer.builder().handler(() -> new RegistryHandler(false)).start(); // leaks every connection
 * }</pre>
 */
public final class RegistryHandler extends ChannelInboundHandlerAdapter {

    /** Every handler of a connection that is open, or was opened with the leaky twin. */
    public static final List<RegistryHandler> REGISTRY = new CopyOnWriteArrayList<>();

    private final boolean removeOnClose;
    @SuppressWarnings("unused") // held like a real handler holds its context: the leak keeps the channel
    private ChannelHandlerContext ctx;

    public RegistryHandler(boolean removeOnClose) {
        this.removeOnClose = removeOnClose;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        REGISTRY.add(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (removeOnClose) {
            REGISTRY.remove(this);
        }
        ctx.fireChannelInactive();
    }
}
