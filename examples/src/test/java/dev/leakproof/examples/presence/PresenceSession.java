package dev.leakproof.examples.presence;

import io.netty.channel.Channel;

/**
 * One user's presence: who they are and the connection to push presence updates to.
 *
 * <pre>{@code
 * PresenceSession session = new PresenceSession(ctx.channel(), "alice");
 * OnlineUsers.add(session);
 * }</pre>
 */
final class PresenceSession {

    private final Channel channel;
    private final String user;
    private final long onlineSinceMillis = System.currentTimeMillis();

    PresenceSession(Channel channel, String user) {
        this.channel = channel;
        this.user = user;
    }

    Channel channel() {
        return channel;
    }

    String user() {
        return user;
    }

    long onlineSinceMillis() {
        return onlineSinceMillis;
    }
}
