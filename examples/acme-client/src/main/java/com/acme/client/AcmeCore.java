package com.acme.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The library's long-lived core, as in Vert.x: create one per application, share it, close it at
 * shutdown. It owns the event loops every client runs on, and its close hooks: whatever was created
 * from it and must be closed with it (every client it creates, and anything the application adds),
 * so that one {@code close()} at shutdown releases everything.
 *
 * <pre>{@code
 * AcmeCore core = AcmeCore.create();
 * AcmeClient quotes = core.createClient(new AcmeClientOptions().setHost("quotes.internal").setPort(7000));
 * ...
 * core.close(); // closes quotes too, if the application did not
 * }</pre>
 */
public final class AcmeCore implements Closeable {

    private static final int DEFAULT_EVENT_LOOPS = 2;

    private final EventLoopGroup eventLoops;
    /** Closed by {@link #close()}; each client adds itself when created (see {@link AcmeClient#close()}). */
    private final Set<Closeable> closeHooks = ConcurrentHashMap.newKeySet();

    private AcmeCore(int eventLoopThreads) {
        this.eventLoops = newEventLoops(eventLoopThreads);
    }

    /** A core with two event loop threads, {@code acme-event-loop-*}. */
    public static AcmeCore create() {
        return new AcmeCore(DEFAULT_EVENT_LOOPS);
    }

    @SuppressWarnings("deprecation") // NioEventLoopGroup: the event loop group that exists in Netty 4.1 and 4.2
    private static EventLoopGroup newEventLoops(int threads) {
        return new NioEventLoopGroup(threads, new DefaultThreadFactory("acme-event-loop", true));
    }

    /** Connects a new client, closed with this core unless closed before. */
    public AcmeClient createClient(AcmeClientOptions options) {
        AcmeClient client = AcmeClient.connect(this, Objects.requireNonNull(options, "options"));
        addCloseHook(client);
        return client;
    }

    /** Closes {@code hook} when this core closes. */
    public void addCloseHook(Closeable hook) {
        closeHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /** Forgets {@code hook}: this core will not close it. */
    public void removeCloseHook(Closeable hook) {
        closeHooks.remove(hook);
    }

    EventLoopGroup eventLoops() {
        return eventLoops;
    }

    /** Closes every close hook, then stops the event loops (at most 5 s). */
    @Override
    public void close() {
        List<Closeable> hooks = new ArrayList<>(closeHooks);
        closeHooks.clear();
        for (Closeable hook : hooks) {
            try {
                hook.close();
            } catch (IOException | RuntimeException e) {
                // one hook that fails to close must not keep the others, or the event loops, open
            }
        }
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
