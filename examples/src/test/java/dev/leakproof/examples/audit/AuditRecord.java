package dev.leakproof.examples.audit;

import java.time.Instant;

/**
 * One line of the audit trail: who did what, from where, when. It keeps the session and formats
 * the line only when the writer gets to it, off the event loop.
 *
 * <pre>{@code
 * audit.record(new AuditRecord(session, "LOGIN", Instant.now()));
 * }</pre>
 */
record AuditRecord(AccountSession session, String action, Instant at) {

    String line() {
        return at + " " + session.user() + "@" + session.remoteAddress() + " " + action;
    }
}
