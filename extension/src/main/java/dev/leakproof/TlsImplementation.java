package dev.leakproof;

import org.apiguardian.api.API;

/**
 * The TLS implementation of the fixture server and the driver, as {@link DetectConnectionLeaks#provider()}
 * takes it: handshake rates and memory per connection differ between them, and so do their leaks.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(provider = TlsImplementation.OPENSSL)
 * class OpenSslLeakTests { ... }
 * }</pre>
 *
 * <p>Every constant but {@link #DEFAULT} is the fixture's {@code TlsProvider} of the same name, which
 * {@link ConnectionLeakDetector.Builder#provider} takes.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum TlsImplementation {

    /**
     * Not set here: the configuration parameter {@value DetectConnectionLeaks#PROVIDER_PROPERTY_NAME}
     * if present ({@code jdk} or {@code openssl}), else {@link #JDK}.
     */
    DEFAULT,

    /** The JDK's own SunJSSE engine. */
    JDK,

    /**
     * BoringSSL through netty-tcnative, when it is on the class path; where the native library
     * cannot be loaded, the JDK's engine is used and the fallback is logged.
     */
    OPENSSL
}
