package com.example.prices;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The client as first released: an OkHttpClient per request. Must fail, by growth. */
@DetectConnectionLeaks(service = BuiltInService.HTTP)
class LeakyPriceClientTests {

    @Test
    void fetchPrices(TlsFixtureServer server, ResourceGrowth growth) throws Exception {
        // OkHttp's TLS glue: the fixture's trust manager, in an SSLContext of the client's own.
        X509TrustManager trust = (X509TrustManager) server.trustManagerFactory().getTrustManagers()[0];
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        PriceClient prices = PriceClient.clientPerRequest(tls.getSocketFactory(), trust);
        String url = server.uri("/small").toString();
        growth.assertDoesNotGrow(() -> {
            try {
                assertFalse(prices.fetch(url).isEmpty());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
