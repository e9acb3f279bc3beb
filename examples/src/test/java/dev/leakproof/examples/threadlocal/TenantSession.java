package dev.leakproof.examples.threadlocal;

import io.netty.channel.Channel;

/**
 * The tenant a connection works for, and how many requests it made (for per-tenant quotas).
 *
 * <pre>{@code
 * TenantSession session = new TenantSession(ctx.channel());
 * session.tenant("acme");
 * }</pre>
 */
final class TenantSession {

    private final Channel channel;
    private String tenant = "anonymous";
    private int requests;

    TenantSession(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    String tenant() {
        return tenant;
    }

    void tenant(String tenant) {
        this.tenant = tenant;
    }

    int requests() {
        return requests;
    }

    void countRequest() {
        requests++;
    }
}
