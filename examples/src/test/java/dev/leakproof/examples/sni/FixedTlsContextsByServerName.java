package dev.leakproof.examples.sni;

import io.netty.handler.ssl.SslContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;

/**
 * The fixed {@link TlsContextsByServerName}: it keeps the contexts of the 16 server names used
 * last, and builds again for a name that fell out. A client sending a new name on each connection
 * now costs a context build, never memory that stays.
 *
 * <pre>{@code
 * SniHandler sni = new SniHandler(new FixedTlsContextsByServerName(keyManagerFactory));
 * }</pre>
 */
public final class FixedTlsContextsByServerName extends TlsContextsByServerName {

    static final int MAX_SERVER_NAMES = 16;

    /** The contexts of the names used last, least recently used first. */
    static final Map<String, SslContext> RECENT = Collections.synchronizedMap(
            new LinkedHashMap<>(MAX_SERVER_NAMES, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, SslContext> eldest) {
                    return size() > MAX_SERVER_NAMES;
                }
            });

    public FixedTlsContextsByServerName(KeyManagerFactory keys) {
        super(keys);
    }

    @Override
    protected Map<String, SslContext> contexts() {
        return RECENT;
    }
}
