package dev.leakproof.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client TLS recipes of docs/tls-recipes.md: each tagged region is the page's snippet, word for
 * word ({@link RecipesPageTests} checks), and each test proves it talks to the fixture server.
 */
class ClientRecipesTests {

    static TlsFixtureServer server;

    @BeforeAll
    static void start() {
        server = TlsFixtureServer.builder().service(FixtureService.HTTP).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jdkHttpClient() throws Exception {
        // tag::jdk-httpclient[]
        HttpClient client = HttpClient.newBuilder()
                .sslContext(server.clientSslContext()) // trusts the fixture's certificate, for localhost
                .build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/small")).build(),
                HttpResponse.BodyHandlers.ofString());
        // end::jdk-httpclient[]
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\n");
    }

    @Test
    void okHttp() throws Exception {
        // tag::okhttp[]
        TrustManager[] trustManagers = server.trustManagerFactory().getTrustManagers();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers, null);
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(tls.getSocketFactory(), (X509TrustManager) trustManagers[0])
                .build();
        try (Response response = client.newCall(new Request.Builder().url(server.uri("/small").toURL()).build())
                .execute()) {
            assertThat(response.body().string()).isEqualTo("hello\n");
        }
        // OkHttp keeps idle connections for 5 minutes: close them, or a leak test counts them as open.
        client.connectionPool().evictAll();
        // end::okhttp[]
        assertThat(client.connectionPool().connectionCount()).isZero();
    }

    @Test
    void netty() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            // tag::netty-client[]
            SslContext tls = SslContextBuilder.forClient().trustManager(server.trustManagerFactory()).build();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // Name the host: Netty 4.2 verifies it (the certificate is for localhost).
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.hostName(), server.port()));
                        }
                    })
                    .connect(server.address()).sync().channel();
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
            // end::netty-client[]
            assertThat(channel.pipeline().get(SslHandler.class).engine().getSession().getProtocol()).startsWith("TLS");
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void reactorNetty() throws Exception {
        // tag::reactor-netty[]
        SslContext tls = SslContextBuilder.forClient().trustManager(server.trustManagerFactory()).build();
        String body = reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(tls))
                .get().uri(server.uri("/small"))
                .responseContent().aggregate().asString()
                .block();
        // end::reactor-netty[]
        assertThat(body).isEqualTo("hello\n");
    }
}
