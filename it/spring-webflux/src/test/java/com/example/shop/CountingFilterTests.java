package com.example.shop;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.TlsFixtureServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The shop with {@link RequestCountingFilter}, the fixed twin of {@link ExchangeKeepingFilterLeakTests}: no warm-up
 * request, no thread allowlist, no {@code @DirtiesContext}. Must pass.
 */
@DetectConnectionLeaks(cycles = 300)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(FixtureCertificate.class)
class CountingFilterTests {

    @LocalServerPort
    int port;

    @BeforeAll
    static void serveWithFixtureCertificate(TlsFixtureServer fixture) {
        FixtureCertificate.use(fixture);
    }

    @TargetServer
    InetSocketAddress shop() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void customersBrowse() {
        // no request of its own: 300 connections, an HTTP request each, are driven at the shop after this body
    }
}
