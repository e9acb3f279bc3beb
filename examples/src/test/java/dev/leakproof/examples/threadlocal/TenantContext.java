package dev.leakproof.examples.threadlocal;

/**
 * The tenant of the request being handled on this thread, for code deep in the call stack
 * (quotas, audit logging) that has no connection at hand.
 *
 * <pre>{@code
 * TenantContext.set(session);
 * try {
 *     handle(line);            // anything below may call TenantContext.current()
 * } finally {
 *     TenantContext.clear();
 * }
 * }</pre>
 *
 * <p>An event loop thread lives as long as the server and serves many connections one after
 * another: whatever a ThreadLocal still holds on it stays reachable until the thread ends.
 */
final class TenantContext {

    private static final ThreadLocal<TenantSession> CURRENT = new ThreadLocal<>();

    private TenantContext() {
    }

    static void set(TenantSession session) {
        CURRENT.set(session);
    }

    static TenantSession current() {
        TenantSession session = CURRENT.get();
        if (session == null) {
            throw new IllegalStateException("no tenant on this thread: call TenantContext.set first");
        }
        return session;
    }

    static void clear() {
        CURRENT.remove();
    }
}
