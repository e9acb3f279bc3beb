package dev.leakproof.examples.lockout;

import io.netty.channel.Channel;
import java.time.Instant;

/**
 * One failed login: who, on which connection, and when. The lockout rule needs the connection to
 * close every connection of a user it locks out.
 *
 * <pre>{@code
 * failedLogins.record(new FailedLogin("alice", ctx.channel(), Instant.now()));
 * }</pre>
 */
record FailedLogin(String user, Channel channel, Instant at) {
}
