package dev.leakproof.examples.lockout;

import io.netty.channel.ChannelHandlerContext;
import java.util.function.Consumer;

/**
 * The fixed {@link LoginHandler}: a failed attempt leaves the registry when its connection closes.
 *
 * <pre>{@code
 * LinePipeline.withHandler(() -> new FixedLoginHandler(failedLogins, attempt -> { }));
 * }</pre>
 */
final class FixedLoginHandler extends LoginHandler {

    FixedLoginHandler(FailedLogins failedLogins, Consumer<FailedLogin> attemptFailed) {
        super(failedLogins, attemptFailed);
    }

    @Override
    void attemptRecorded(ChannelHandlerContext ctx, FailedLogin attempt) {
        // THE FIX: the registry holds the connection only while it is open.
        ctx.channel().closeFuture().addListener(closed -> failedLogins().forget(attempt));
    }
}
