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
import org.springframework.test.context.ActiveProfiles;

/** The shop with {@link RecentExchangesFilter}, which keeps every exchange. Must fail: each connection leaves one behind. */
@DetectConnectionLeaks(cycles = 300)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ActiveProfiles("keep-exchanges")
@Import(FixtureCertificate.class)
class ExchangeKeepingFilterLeakTests {

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
