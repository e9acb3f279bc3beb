package dev.leakproof.examples.lockout;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code LOGIN <user> <password>} answers {@code WELCOME <user>} or {@code DENIED <user>}; a denied
 * attempt goes to the {@link FailedLogins} for the lockout rule.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new LoginHandler(failedLogins, attempt -> { }));
 * }</pre>
 *
 * <p>THE LEAK: the failed attempt, and the connection it holds, stays in the shared registry after
 * the connection closes. Only the error path leaks, so a test of the happy path never sees it, and
 * in production it grows with every mistyped password. {@link FixedLoginHandler} forgets the attempt
 * when its connection closes.
 */
class LoginHandler extends SimpleChannelInboundHandler<String> {

    private final FailedLogins failedLogins;
    private final Consumer<FailedLogin> attemptFailed;

    LoginHandler(FailedLogins failedLogins, Consumer<FailedLogin> attemptFailed) {
        this.failedLogins = failedLogins;
        this.attemptFailed = attemptFailed;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        String[] words = line.strip().split(" ");
        if (words.length != 3 || !words[0].equals("LOGIN")) {
            ctx.writeAndFlush("ERR expected LOGIN <user> <password>\n");
            return;
        }
        String user = words[1];
        if (words[2].equals(passwordOf(user))) {
            ctx.writeAndFlush("WELCOME " + user + "\n");
            return;
        }
        FailedLogin attempt = new FailedLogin(user, ctx.channel(), Instant.now());
        attemptFailed.accept(attempt);
        boolean lockedOut = failedLogins.record(attempt);
        attemptRecorded(ctx, attempt);
        ctx.writeAndFlush("DENIED " + user + "\n").addListener(lockedOut ? ChannelFutureListener.CLOSE : f -> { });
    }

    /** What becomes of the attempt when its connection closes: here, nothing. That is the leak. */
    void attemptRecorded(ChannelHandlerContext ctx, FailedLogin attempt) {
    }

    /** The example's user directory: every user's password is "pw-" and the name. */
    static String passwordOf(String user) {
        return "pw-" + user;
    }

    FailedLogins failedLogins() {
        return failedLogins;
    }
}
