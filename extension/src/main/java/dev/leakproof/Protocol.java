package dev.leakproof;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * What each driven connection says after its TLS handshake, so that the server's per-request code
 * runs in every cycle: a cache, a filter or a metrics map that gains an entry per request is only
 * seen when requests are sent.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(protocol = Protocol.HTTP) // every cycle sends GET /leakproof/{cycle}?c={cycle}
 * class MyHttpServerLeakTests { ... }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum Protocol {

    /**
     * Told from the server (the default): the fixture's built-in services speak their own protocol
     * (the echo's {@code ping}, the HTTP service's requests); a server of yours, hosted with
     * {@link ServerPipeline} or started by the test ({@link TargetServer}), is sent one HTTP request
     * first, and speaks HTTP when it answers with an HTTP response; otherwise the cycles run the
     * {@code exchange} script, or only the handshake.
     */
    AUTO,

    /**
     * HTTP/1.1 requests with CRLF line endings, each response read whole, at the path and with the
     * headers of {@code requestPath} and {@code requestHeaders} (both vary per connection).
     */
    HTTP,

    /** The {@code exchange} script's lines (nothing when no script is set). */
    LINES,

    /** The handshake alone: nothing is sent. */
    HANDSHAKE_ONLY;

    /** Parses {@code auto}, {@code http}, {@code lines} or {@code handshake-only}, in any case. */
    public static Protocol parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown protocol '" + text + "', expected one of "
                        + Arrays.stream(values()).map(Protocol::text).collect(Collectors.joining(", "))));
    }

    /** How a configuration parameter writes it: {@code handshake-only}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
