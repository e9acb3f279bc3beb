package dev.leakproof.examples.sessioncache;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * A logged-in user: name, connection, and the commands they sent (for the audit trail).
 *
 * <pre>{@code
 * sessions.put(ctx.channel(), new UserSession(ctx.channel(), "alice"));
 * }</pre>
 */
final class UserSession {

    private final Channel channel;
    private final String user;
    private final List<String> history = new ArrayList<>();

    UserSession(Channel channel, String user) {
        this.channel = channel;
        this.user = user;
    }

    Channel channel() {
        return channel;
    }

    String user() {
        return user;
    }

    /** Only called on the connection's event loop, so the list needs no lock. */
    void record(String command) {
        history.add(command);
    }
}
