package dev.leakproof.sample.chat;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Speaks the chat protocol for one connection: parses command lines, answers them and keeps the connection's
 * {@link ChatSession} in the {@link ChatHub} for exactly as long as the connection is open.
 *
 * <p>Bad input is answered, never ignored: a line the protocol does not accept (an unknown command, a bad
 * name, a line that is not UTF-8) gets an {@code ERR ...} line and the connection goes on, because the next line
 * can be understood again; a line longer than the maximum gets {@code ERR line too long} and the connection is
 * closed, because the stream can no longer be trusted to be framed. Refusals are counted by the hub
 * ({@link ChatHub#refusals(ChatHub.Refusal)}). Anything that breaks the transport (a reset, bytes that are not
 * TLS) closes the connection without an answer.
 *
 * <pre>{@code
 * C: LOGIN alice          S: OK welcome alice
 * C: PUB lobby caf\xe9    S: ERR invalid UTF-8
 * C: xxxx...(2 KB)        S: ERR line too long   (and closes)
 * }</pre>
 *
 * <p>One instance per channel; every method runs on that channel's event loop, so its session field needs no
 * synchronisation.
 */
final class ChatHandler extends SimpleChannelInboundHandler<String> {
    private static final System.Logger LOG = System.getLogger(ChatHandler.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final ChatHub hub;
    private ChatSession session;
    private boolean closing;

    ChatHandler(ChatHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        session = hub.open(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endSession();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Someone may remove this handler from a live pipeline; the session must not outlive it in the hub.
        endSession();
    }

    private void endSession() {
        if (session != null) {
            hub.close(session);
            session = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
        // No session means the connection was refused by the connection limit and is being closed.
        if (session == null || closing) {
            return;
        }
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        switch (command) {
            case "PING" -> ctx.writeAndFlush("PONG");
            case "PONG" -> {
                // The answer to our heartbeat; reading it already reset the idle timer.
            }
            case "QUIT" -> closeWith(ctx, "BYE");
            case "LOGIN" -> login(ctx, argument);
            case "JOIN", "LEAVE", "PUB", "MEMBERS" -> {
                if (session.nameOrNull() == null) {
                    ctx.writeAndFlush("ERR login first");
                } else {
                    roomCommand(ctx, command, argument);
                }
            }
            default -> ctx.writeAndFlush("ERR unknown command");
        }
    }

    private void login(ChannelHandlerContext ctx, String name) {
        if (!NAME.matcher(name).matches()) {
            ctx.writeAndFlush("ERR invalid name, use 1-32 of A-Z a-z 0-9 _ -");
            return;
        }
        String reply = switch (hub.login(session, name)) {
            case OK -> "OK welcome " + name;
            case NAME_TAKEN -> "ERR name taken";
            case ALREADY_LOGGED_IN -> "ERR already logged in";
            case CLOSED -> null;
        };
        if (reply != null) {
            ctx.writeAndFlush(reply);
        }
    }

    private void roomCommand(ChannelHandlerContext ctx, String command, String argument) {
        String room = argument;
        String text = null;
        if (command.equals("PUB")) {
            int space = argument.indexOf(' ');
            if (space < 0 || space == argument.length() - 1) {
                ctx.writeAndFlush("ERR usage: PUB <room> <text>");
                return;
            }
            room = argument.substring(0, space);
            text = argument.substring(space + 1);
        }
        if (!NAME.matcher(room).matches()) {
            ctx.writeAndFlush("ERR invalid room, use 1-32 of A-Z a-z 0-9 _ -");
            return;
        }
        switch (command) {
            case "JOIN" -> {
                if (hub.join(session, room)) {
                    ctx.writeAndFlush("OK joined " + room);
                }
            }
            case "LEAVE" -> ctx.writeAndFlush(hub.leave(session, room) ? "OK left " + room : "ERR not in " + room);
            case "MEMBERS" -> {
                List<String> members = hub.members(room);
                ctx.writeAndFlush(members.isEmpty()
                        ? "MEMBERS " + room
                        : "MEMBERS " + room + " " + String.join(",", members));
            }
            case "PUB" -> publish(ctx, room, text);
            default -> throw new IllegalStateException("not a room command: " + command);
        }
    }

    private void publish(ChannelHandlerContext ctx, String room, String text) {
        List<ChatSession> recipients = hub.recipients(session, room);
        if (recipients == null) {
            ctx.writeAndFlush("ERR not in " + room);
            return;
        }
        String message = "MSG " + room + " " + session.nameOrNull() + " " + text;
        for (ChatSession recipient : recipients) {
            // Thread-safe: Netty hands a write from another event loop over to the recipient's own loop.
            recipient.channel().writeAndFlush(message);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof IdleStateEvent idle)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        if (session == null || closing) {
            return;
        }
        switch (idle.state()) {
            case WRITER_IDLE -> ctx.writeAndFlush("PING");
            case READER_IDLE -> closeWith(ctx, "BYE idle timeout");
            default -> {
                // ALL_IDLE is not configured.
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;
        }
        if (cause instanceof Utf8LineDecoder.InvalidUtf8Exception) {
            // A well-framed line the client can follow with a good one: answered, the connection stays.
            if (session != null) {
                hub.refused(ChatHub.Refusal.INVALID_UTF8);
                ctx.writeAndFlush("ERR invalid UTF-8");
            }
            return;
        }
        if (cause instanceof TooLongFrameException) {
            if (session != null) {
                hub.refused(ChatHub.Refusal.LINE_TOO_LONG);
            }
            closeWith(ctx, "ERR line too long");
            return;
        }
        // Resets, broken pipes and failed handshakes are what clients do; anything else is a bug worth a warning.
        boolean expected = cause instanceof IOException || cause.getCause() instanceof SSLException;
        if (expected) {
            LOG.log(Level.DEBUG, () -> "closing " + ctx.channel() + " after " + cause);
        } else {
            LOG.log(Level.WARNING, () -> "closing " + ctx.channel() + " after an unexpected exception", cause);
        }
        closing = true;
        ctx.close();
    }

    private void closeWith(ChannelHandlerContext ctx, String lastLine) {
        closing = true;
        // If the write fails the peer is gone already; close either way.
        ctx.writeAndFlush(lastLine).addListener(ChannelFutureListener.CLOSE);
    }
}
