package com.example.shop;

import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Serves the application over TLS with Leakproof's fixture certificate, so that the connection driver trusts it and
 * every server-side SSLEngine is tracked. JUnit runs a test class's {@code @BeforeAll} methods before Spring creates
 * its context (when the first test instance is prepared), so a {@code @BeforeAll} method hands over the fixture:
 *
 * <pre>{@code
 * @BeforeAll
 * static void serveWithFixtureCertificate(TlsFixtureServer fixture) {
 *     FixtureCertificate.use(fixture);
 * }
 * }</pre>
 */
@TestConfiguration(proxyBeanMethods = false)
class FixtureCertificate {

    private static volatile TlsFixtureServer fixture;

    static void use(TlsFixtureServer server) {
        fixture = server;
    }

    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> fixtureCertificate() throws SSLException {
        TlsFixtureServer server = fixture;
        if (server == null) {
            throw new IllegalStateException("no fixture: call FixtureCertificate.use(fixture) in a @BeforeAll method");
        }
        SslContext sslContext = SslContextBuilder.forServer(server.keyManagerFactory()).build();
        return factory -> factory.addServerCustomizers(http -> http.secure(spec -> spec.sslContext(sslContext)));
    }
}
