package dev.leakproof.examples.reactor;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Client code a team might write with Reactor Netty's {@link HttpClient}, the HTTP client under
 * Spring's WebClient. This version builds a new {@link ConnectionProvider} for every request and
 * never disposes of it: each request leaves a pool behind, and each pool keeps its connection open
 * and idle, for good. {@link #shared} is the fix: one client, on Reactor Netty's global pool and
 * event loops, for every request.
 *
 * <pre>{@code
 * PriceClient prices = PriceClient.shared(trustManagerFactory);
 * String price = prices.fetch(URI.create("https://prices.example/acme"));
 * }</pre>
 */
public final class PriceClient {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final SslContext tls;
    private final HttpClient shared; // null: a new pool per request

    private PriceClient(SslContext tls, HttpClient shared) {
        this.tls = tls;
        this.shared = shared;
    }

    /** The leaky way: a connection pool of its own for every request, never disposed of. */
    public static PriceClient poolPerRequest(TrustManagerFactory trust) {
        return new PriceClient(tls(trust), null);
    }

    /** The fix: one client for all requests, on Reactor Netty's global connection pool and event loops. */
    public static PriceClient shared(TrustManagerFactory trust) {
        SslContext tls = tls(trust);
        return new PriceClient(tls, HttpClient.create().secure(spec -> spec.sslContext(tls)));
    }

    /** The body of {@code uri}, read to the end. */
    public String fetch(URI uri) {
        HttpClient client = shared != null ? shared
                : HttpClient.create(ConnectionProvider.create("prices-" + POOLS.incrementAndGet(), 1))
                        .secure(spec -> spec.sslContext(tls));
        return client.get().uri(uri).responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    private static SslContext tls(TrustManagerFactory trust) {
        try {
            return SslContextBuilder.forClient().trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }
}
