package dev.leakproof.examples.sessioncache;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions by connection, shared by the whole server (admin commands list and kick
 * users through it).
 *
 * <pre>{@code
 * SessionCache sessions = new SessionCache();
 * sessions.put(ctx.channel(), new UserSession(ctx.channel(), "alice"));
 * sessions.remove(ctx.channel());
 * }</pre>
 *
 * <p>Keyed by the {@link Channel} itself: an entry that is never removed keeps the connection
 * alive, however it ended.
 */
final class SessionCache {

    private final Map<Channel, UserSession> sessions = new ConcurrentHashMap<>();

    void put(Channel channel, UserSession session) {
        sessions.put(channel, session);
    }

    UserSession get(Channel channel) {
        return sessions.get(channel);
    }

    void remove(Channel channel) {
        sessions.remove(channel);
    }

    int size() {
        return sessions.size();
    }

    /** Forgets every session: on server shutdown, and after an example that leaks into it on purpose. */
    void clear() {
        sessions.clear();
    }
}
