package dev.leakproof.examples.audit;

import io.netty.channel.Channel;

/**
 * One logged-in customer's connection to the account service.
 *
 * <pre>{@code
 * AccountSession session = new AccountSession(ctx.channel(), "alice");
 * }</pre>
 */
final class AccountSession {

    private final Channel channel;
    private final String user;

    AccountSession(Channel channel, String user) {
        this.channel = channel;
        this.user = user;
    }

    Channel channel() {
        return channel;
    }

    String user() {
        return user;
    }

    /** The customer's address, as the audit trail writes it. */
    String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }
}
