package dev.leakproof.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TrustStoreFile;
import io.netty.util.Version;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vert.x client recipe of docs/tls-recipes.md, configured by the trust store file as Vert.x
 * applications usually are. Vert.x 5 runs on Netty 4.2 only: on Netty 4.1 the test is skipped.
 */
class VertxRecipeTests {

    @TempDir
    Path tempDir;

    @Test
    void vertxHttpClient() throws Exception {
        assumeTrue(Version.identify().values().stream().allMatch(v -> v.artifactVersion().startsWith("4.2")),
                "Vert.x 5 needs Netty 4.2");
        try (TlsFixtureServer server = TlsFixtureServer.builder().service(FixtureService.HTTP).start()) {
            Vertx vertx = Vertx.vertx();
            try {
                // tag::vertx[]
                TrustStoreFile trust = server.writeTrustStore(tempDir.resolve("fixture-trust.p12"));
                HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setSsl(true)
                        .setTrustOptions(new PfxOptions().setPath(trust.path().toString()).setPassword(trust.password())));
                Buffer body = client.request(HttpMethod.GET, server.port(), server.hostName(), "/small")
                        .compose(request -> request.send().compose(HttpClientResponse::body))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                client.close(); // closes its pooled connections
                // end::vertx[]
                assertThat(body.toString()).isEqualTo("hello\n");
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
