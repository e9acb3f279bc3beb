package com.acme.client;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where an {@link AcmeClient} connects and how, Vert.x-style: a mutable bean with chained setters.
 *
 * <pre>{@code
 * AcmeClientOptions options = new AcmeClientOptions().setHost("quotes.internal").setPort(7000)
 *         .setTrustManagerFactory(trust).setCacheSize(64);
 * }</pre>
 */
public final class AcmeClientOptions {

    private String host = "localhost";
    private int port = 7000;
    private TrustManagerFactory trustManagerFactory;
    private int cacheSize = 16;
    private Duration cacheMaxAge = Duration.ofSeconds(5);
    private Duration replyTimeout = Duration.ofSeconds(5);

    public String getHost() {
        return host;
    }

    /** The server's host name, also the TLS server name the certificate must match. */
    public AcmeClientOptions setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    public int getPort() {
        return port;
    }

    public AcmeClientOptions setPort(int port) {
        this.port = port;
        return this;
    }

    public TrustManagerFactory getTrustManagerFactory() {
        return trustManagerFactory;
    }

    /** The trust for the server's certificate; {@code null} (the default) trusts the JDK's CAs. */
    public AcmeClientOptions setTrustManagerFactory(TrustManagerFactory trustManagerFactory) {
        this.trustManagerFactory = trustManagerFactory;
        return this;
    }

    public int getCacheSize() {
        return cacheSize;
    }

    /** How many recent answers each client keeps, to answer a repeated question without a round trip. */
    public AcmeClientOptions setCacheSize(int cacheSize) {
        this.cacheSize = cacheSize;
        return this;
    }

    public Duration getCacheMaxAge() {
        return cacheMaxAge;
    }

    public AcmeClientOptions setCacheMaxAge(Duration cacheMaxAge) {
        this.cacheMaxAge = Objects.requireNonNull(cacheMaxAge, "cacheMaxAge");
        return this;
    }

    public Duration getReplyTimeout() {
        return replyTimeout;
    }

    public AcmeClientOptions setReplyTimeout(Duration replyTimeout) {
        this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
        return this;
    }
}
