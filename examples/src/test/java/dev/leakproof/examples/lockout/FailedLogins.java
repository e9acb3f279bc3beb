package dev.leakproof.examples.lockout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The failed logins of every user, for the lockout rule (five failures lock the account and close
 * the connections they came from). One per server process, shared by every connection.
 *
 * <pre>{@code
 * FailedLogins.OF_THIS_SERVER.record(attempt);
 * ctx.channel().closeFuture().addListener(closed -> FailedLogins.OF_THIS_SERVER.forget(attempt));
 * }</pre>
 */
final class FailedLogins {

    /** The server's registry: it outlives every connection, as in production. */
    static final FailedLogins OF_THIS_SERVER = new FailedLogins();

    static final int LOCKOUT_AFTER = 5;

    private final Map<String, List<FailedLogin>> byUser = new ConcurrentHashMap<>();

    /** Records the attempt; answers whether the user is now locked out. */
    boolean record(FailedLogin attempt) {
        List<FailedLogin> attempts = byUser.computeIfAbsent(attempt.user(), user -> new CopyOnWriteArrayList<>());
        attempts.add(attempt);
        return attempts.size() >= LOCKOUT_AFTER;
    }

    /** Drops an attempt whose connection has closed: there is nothing left to close for it. */
    void forget(FailedLogin attempt) {
        byUser.computeIfPresent(attempt.user(), (user, attempts) -> {
            attempts.remove(attempt);
            return attempts.isEmpty() ? null : attempts;
        });
    }

    /** Like a server restart: forgets every attempt. */
    void clear() {
        byUser.clear();
    }
}
