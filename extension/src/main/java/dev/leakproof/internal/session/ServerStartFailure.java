package dev.leakproof.internal.session;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.fixture.TlsFixtureServer;
import java.net.BindException;
import java.net.InetAddress;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Why the fixture server did not start, in the user's terms: a port that is taken is their
 * setting's fault and names it; anything else goes on as it was thrown.
 *
 * <pre>{@code
 * TlsFixtureServer server = ServerStartFailure.start(builder, 8443, () -> { });
 * }</pre>
 */
final class ServerStartFailure {

    private ServerStartFailure() {
    }

    /**
     * Starts the server on {@code port} (0 for a free one); on failure, runs {@code undo} and throws
     * the failure explained.
     */
    static TlsFixtureServer start(TlsFixtureServer.Builder builder, int port, Runnable undo) {
        try {
            return builder.port(port).start();
        } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
            undo.run();
            throw explain(e, port);
        }
    }

    /**
     * {@code failure} as thrown by the fixture server's start, with {@code port} the port asked for
     * (0 for a free one).
     */
    static RuntimeException explain(Exception failure, int port) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        String key = DetectConnectionLeaks.PORT_PROPERTY_NAME;
        return new ExtensionConfigurationException(key + " = " + port + ": the fixture server cannot listen on "
                + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + ", the port is taken ("
                + cause + "). Leave " + key + " unset for a free port, or free the port",
                failure);
    }
}
