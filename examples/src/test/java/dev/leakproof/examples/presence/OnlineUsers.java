package dev.leakproof.examples.presence;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who is online right now, for the whole server: every connection's {@link PresenceSession} joins
 * it when the user says {@code HELLO}.
 *
 * <pre>{@code
 * OnlineUsers.add(session);
 * String everyone = String.join(",", OnlineUsers.names());
 * }</pre>
 *
 * <p>A static list lives as long as the server, and so does everything in it: a session that is
 * never removed keeps its channel, its pipeline and its TLS engine too (the global connection list leak story).
 */
final class OnlineUsers {

    private static final List<PresenceSession> ONLINE = new CopyOnWriteArrayList<>();

    private OnlineUsers() {
    }

    static void add(PresenceSession session) {
        ONLINE.add(session);
    }

    static void remove(PresenceSession session) {
        ONLINE.remove(session);
    }

    static int count() {
        return ONLINE.size();
    }

    static List<String> names() {
        return ONLINE.stream().map(PresenceSession::user).sorted().toList();
    }

    /** Forgets everyone: on server shutdown, and after an example that leaks into this list on purpose. */
    static void clear() {
        ONLINE.clear();
    }
}
