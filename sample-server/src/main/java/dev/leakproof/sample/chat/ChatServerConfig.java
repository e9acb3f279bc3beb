package dev.leakproof.sample.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one chat server: where it listens, how it detects dead peers and how much it admits.
 *
 * <p>Immutable; build one with {@link #builder()} and change one with {@link #toBuilder()}:
 *
 * <pre>{@code
 * ChatServerConfig config = ChatServerConfig.builder()
 *     .port(7443)
 *     .heartbeatInterval(Duration.ofSeconds(15))
 *     .idleTimeout(Duration.ofSeconds(60))
 *     .maxConnections(1000)
 *     .build();
 * try (ChatServer server = ChatServer.start(config)) {
 *     // ...
 * }
 * }</pre>
 *
 * @param host address to bind; {@value #DEFAULT_HOST} by default, so nothing is exposed beyond this machine
 * @param port TCP port to bind; {@code 0} (the default) picks a free ephemeral port, see {@link ChatServer#port()}
 * @param heartbeatInterval how long the server may stay silent towards a client before it sends {@code PING};
 *     {@link Duration#ZERO} disables heartbeats
 * @param idleTimeout how long a client may stay silent before the server sends {@code BYE idle timeout} and
 *     closes the connection; {@link Duration#ZERO} disables the timeout
 * @param maxConnections how many connections may be open at once; one more is answered
 *     {@code ERR server full} and closed
 * @param maxLineLength the longest line, in bytes without its line terminator, a client may send
 */
public record ChatServerConfig(
        String host,
        int port,
        Duration heartbeatInterval,
        Duration idleTimeout,
        int maxConnections,
        int maxLineLength) {

    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port: {@code 0}, any free ephemeral port. */
    public static final int DEFAULT_PORT = 0;
    /** The default heartbeat interval: 15 seconds. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    /** The default idle timeout: 60 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The default connection cap: 1000. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** The default maximum line length: 1024 bytes. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024;

    /**
     * Validates every setting, so a bad value fails here rather than inside an event loop.
     *
     * @throws NullPointerException if {@code host} or a duration is {@code null}
     * @throws IllegalArgumentException if a value is out of range
     */
    public ChatServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("heartbeatInterval must not be negative, was " + heartbeatInterval);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be at least 1, was " + maxLineLength);
        }
    }

    /**
     * Returns the default settings: loopback, ephemeral port, 15 s heartbeat, 60 s idle timeout,
     * 1000 connections, 1024-byte lines.
     *
     * @return the default settings
     */
    public static ChatServerConfig defaults() {
        return builder().build();
    }

    /**
     * Returns a builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder that starts from these settings.
     *
     * @return a new builder holding a copy of these settings
     */
    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .port(port)
                .heartbeatInterval(heartbeatInterval)
                .idleTimeout(idleTimeout)
                .maxConnections(maxConnections)
                .maxLineLength(maxLineLength);
    }

    /**
     * Collects settings for a {@link ChatServerConfig}; values are checked by {@link #build()}.
     *
     * <pre>{@code
     * ChatServerConfig fast = ChatServerConfig.builder()
     *     .heartbeatInterval(Duration.ofMillis(200))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;

        private Builder() {
        }

        /**
         * Sets the bind address.
         *
         * @param host a host name or IP literal
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the port; {@code 0} picks a free ephemeral port.
         *
         * @param port the TCP port
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets how long the server may stay silent before it sends {@code PING}; zero disables heartbeats.
         *
         * @param heartbeatInterval the writer-idle interval
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /**
         * Sets how long a client may stay silent before it is disconnected; zero disables the timeout.
         *
         * @param idleTimeout the reader-idle timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * Sets how many connections may be open at once.
         *
         * @param maxConnections the connection cap, at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Sets the longest accepted line in bytes, without its terminator.
         *
         * @param maxLineLength the line length cap, at least 1
         * @return this builder
         */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return validated, immutable settings
         * @throws IllegalArgumentException if a value is out of range
         */
        public ChatServerConfig build() {
            return new ChatServerConfig(host, port, heartbeatInterval, idleTimeout, maxConnections, maxLineLength);
        }
    }
}
