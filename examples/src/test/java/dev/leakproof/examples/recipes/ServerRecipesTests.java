package dev.leakproof.examples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.HttpRequests;
import dev.leakproof.fixture.KeyStoreFile;
import dev.leakproof.fixture.PemFiles;
import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * Server TLS recipes of docs/tls-recipes.md: a server of one's own with the fixture's key
 * material, in memory or from files, driven by the connection driver over HTTP/1.1.
 */
class ServerRecipesTests {

    static TlsFixtureServer fixture;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void start() {
        fixture = TlsFixtureServer.start(); // only its certificate and key are used here
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void jdkHttpsServer() throws Exception {
        // tag::jdk-httpsserver[]
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(fixture.serverSslContext()));
        https.createContext("/", exchange -> {
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        // HttpRequests speak HTTP/1.1 with \r\n, as the JDK's server requires.
        try (ConnectionDriver driver = ConnectionDriver.forAddress(https.getAddress(), fixture)
                .exchange(HttpRequests.get("/orders/{cycle}")).cycles(50).build()) {
            driver.run().assertNoFailures();
        } finally {
            https.stop(0);
        }
        // end::jdk-httpsserver[]
    }

    @Test
    void jdkServerFromAKeyStoreFile() throws Exception {
        // tag::keystore-file[]
        KeyStoreFile keys = fixture.writeKeyStore(tempDir.resolve("server.p12")); // owner-only (0600)
        // A framework takes the four values as settings, e.g. Spring Boot's server.ssl.key-store,
        // key-store-type, key-store-password and key-alias; a JDK server loads them itself:
        KeyStore store = KeyStore.getInstance(keys.type());
        try (InputStream in = Files.newInputStream(keys.path())) {
            store.load(in, keys.password().toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, keys.password().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        // end::keystore-file[]
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        https.start();
        try (ConnectionDriver driver = ConnectionDriver.forAddress(https.getAddress(), fixture)
                .exchange(HttpRequests.get("/")).cycles(20).build()) {
            assertThat(driver.run().assertNoFailures().cyclesCompleted()).isEqualTo(20);
        } finally {
            https.stop(0);
        }
    }

    @Test
    void frameworkConfiguredByPemFiles() {
        // tag::pem-files[]
        PemFiles pem = fixture.writePem(tempDir.resolve("server.crt"), tempDir.resolve("server.key")); // key 0600
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(
                        Http11SslContextSpec.forServer(pem.certificateChain().toFile(), pem.privateKey().toFile())))
                .handle((request, response) -> response.sendString(Mono.just("ok\n")))
                .bindNow();
        try (ConnectionDriver driver = ConnectionDriver.forAddress((InetSocketAddress) server.address(), fixture)
                .exchange(HttpRequests.get("/orders/{cycle}").perConnection(2)).cycles(50).build()) {
            driver.run().assertNoFailures();
        } finally {
            server.disposeNow();
        }
        // end::pem-files[]
    }

    @Test
    void nettyServer() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            // tag::netty-server[]
            SslContext tls = SslContextBuilder.forServer(fixture.keyManagerFactory()).build();
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new LineBasedFrameDecoder(1024),
                                    new StringDecoder(), new StringEncoder(), new LineEcho());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            // The driver's default exchange sends "ping" and expects it back.
            try (ConnectionDriver driver = ConnectionDriver.forAddress((InetSocketAddress) listener.localAddress(),
                    fixture).cycles(50).build()) {
                driver.run().assertNoFailures();
            }
            listener.close().sync();
            // end::netty-server[]
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Echoes each line. */
    static final class LineEcho extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush(line + "\n");
        }
    }
}
