package dev.leakproof;

import io.netty.channel.Channel;
import org.apiguardian.api.API;

/**
 * Registers your own objects for the leak check: each must be garbage collected once the
 * connections of the test are closed. Inject it into a test method, or into the
 * {@link ServerPipeline} method to track per-connection objects the server creates.
 *
 * <pre>{@code
 * @ServerPipeline
 * static ChannelInitializer<Channel> pipeline(LeakTracker tracker) {
 *     ChatHub hub = new ChatHub();
 *     hub.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
 *     return new ChatServerInitializer(ChatServerConfig.defaults(), hub);
 * }
 * }</pre>
 *
 * <p>The tracker holds weak references only: tracking an object never keeps it alive.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface LeakTracker {

    /** Tracks {@code object}, named by its class in failure messages. */
    default void track(Object object) {
        track(object, object.getClass().getSimpleName());
    }

    /**
     * Tracks {@code object} under {@code description} (e.g. {@code "ChatSession alice"}). A Netty
     * {@link Channel} is judged once it closes, not while it is open: a pool keeps its idle channels
     * open between tests, so one still open at the end of a test is a note ("still open, idle in a
     * pool"), and the first verdict after it closes judges it, at the latest the class's end, after
     * its {@code @AfterAll} methods (where the pool is closed).
     */
    void track(Object object, String description);

    /**
     * Tracks {@code object} as part of the connection {@code channel} (a server-side channel of the
     * fixture server), so that a surviving object counts that connection as leaked.
     */
    void track(Channel channel, Object object, String description);
}
