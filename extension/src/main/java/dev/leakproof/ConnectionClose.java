package dev.leakproof;

import org.apiguardian.api.API;

/**
 * How driven connections end, as {@link DetectConnectionLeaks#closeStyle()} takes it. Leaks often
 * hide on only one close path (a registry cleaned up on a polite close but not on a reset), so
 * drive each style that matters, one nested class each:
 *
 * <pre>{@code
 * @DetectConnectionLeaks(closeStyle = ConnectionClose.ABRUPT_RESET)
 * class ResetLeakTests { ... }
 * }</pre>
 *
 * <p>Every constant but {@link #DEFAULT} is the fixture's {@code CloseStyle} of the same name, which
 * {@link ConnectionLeakDetector.Builder#closeStyle} and the {@code ConnectionDriver} take.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ConnectionClose {

    /**
     * Not set here: the configuration parameter {@value DetectConnectionLeaks#CLOSE_STYLE_PROPERTY_NAME}
     * if present ({@code client-close}, {@code abrupt-reset}, ...), else {@link #CLIENT_CLOSE}.
     */
    DEFAULT,

    /** The client sends TLS close_notify and closes its socket (the common, polite path). */
    CLIENT_CLOSE,

    /** The client asks the server to close ({@code QUIT}) and waits until it has. */
    SERVER_CLOSE,

    /** The client closes with SO_LINGER 0 and no close_notify: the server sees a TCP reset. */
    ABRUPT_RESET,

    /** The client sends its ClientHello and resets the connection before the handshake completes. */
    HANDSHAKE_ABORT,

    /** The client shuts down its output without close_notify, then closes once the server has. */
    HALF_CLOSE
}
