package dev.leakproof.examples.sni;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Picks the TLS context for each connection by the server name the client asked for (SNI), for a
 * front server whose tenants each have a host name under one wildcard certificate. A context is
 * built on a name's first use and kept for the next connections to it, in a map shared by the whole
 * process, keyed by whatever name the client sent. Nothing ever leaves the map, so a client that
 * sends a new name on every connection (a scanner, an attacker, or just many tenants) adds a TLS
 * context each time: Vert.x shipped this pattern, and it became CVE-2024-1300 (and, for wildcard
 * names, CVE-2026-6860). {@link FixedTlsContextsByServerName} keeps only the 16 names used last.
 *
 * <pre>{@code
 * SniHandler sni = new SniHandler(new TlsContextsByServerName(keyManagerFactory));
 * }</pre>
 */
public class TlsContextsByServerName implements Mapping<String, SslContext> {

    /** Every context built so far, by server name: the process-wide cache. */
    static final Map<String, SslContext> BY_SERVER_NAME = new ConcurrentHashMap<>();

    private final KeyManagerFactory keys;

    public TlsContextsByServerName(KeyManagerFactory keys) {
        this.keys = keys;
    }

    @Override
    public SslContext map(String serverName) {
        // A client that sends no name gets the context of the empty name.
        String name = serverName == null ? "" : serverName.toLowerCase(Locale.ROOT);
        return contexts().computeIfAbsent(name, this::build);
    }

    /** Where built contexts are kept. */
    protected Map<String, SslContext> contexts() {
        return BY_SERVER_NAME;
    }

    private SslContext build(String serverName) {
        try {
            // The same wildcard certificate for every tenant here; per-tenant ALPN, ciphers or keys in real life.
            // The JDK's TLS: its contexts hold no native memory, so one that falls out of a cache needs no release().
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS context for " + serverName, e);
        }
    }

    /** Forgets every context, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void forgetAll() {
        BY_SERVER_NAME.clear();
    }
}
