package dev.leakproof.examples.audit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The account service's handler: {@code LOGIN <user>} opens the customer's session, answers
 * {@code WELCOME <user>}, and puts the login on the audit trail, which the regulator asks for.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new AccountHandler(audit::record, session -> { }));
 * }</pre>
 *
 * <p>The handler itself forgets nothing: whether the audit trail keeps the session after the
 * connection closed is up to the trail ({@link AuditTrail} keeps it while the store does not
 * answer, {@link FixedAuditTrail} does not).
 */
final class AccountHandler extends SimpleChannelInboundHandler<String> {

    private final Consumer<AuditRecord> audit;
    private final Consumer<AccountSession> sessionOpened;
    private AccountSession session;

    /** {@code sessionOpened} is told about each new session (metrics, or a leak test's tracker). */
    AccountHandler(Consumer<AuditRecord> audit, Consumer<AccountSession> sessionOpened) {
        this.audit = audit;
        this.sessionOpened = sessionOpened;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        if (line.startsWith("LOGIN ") && session == null) {
            session = new AccountSession(ctx.channel(), line.substring("LOGIN ".length()).strip());
            sessionOpened.accept(session);
            audit.accept(new AuditRecord(session, "LOGIN", Instant.now()));
            ctx.writeAndFlush("WELCOME " + session.user() + "\n");
        } else {
            ctx.writeAndFlush("ERR unknown command\n");
        }
    }
}
