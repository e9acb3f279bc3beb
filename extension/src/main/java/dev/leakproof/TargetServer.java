package dev.leakproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks the method that says where a server your test started itself listens (a JDK
 * {@code HttpsServer}, an {@code SSLServerSocket} server, another framework's server), so that the
 * automatic cycles and the injected {@code ConnectionDriver} aim at it instead of the fixture
 * server. One such method per test class, static or instance, no parameters, returning either
 * <ul>
 *   <li>an {@link java.net.InetSocketAddress} on loopback: the server presents the fixture's
 *       certificate, because it was given the fixture's key material
 *       ({@code TlsFixtureServer.serverSslContext()} or {@code keyManagerFactory()}). Then every
 *       server-side SSLEngine or SSLSocket it makes is tracked and must be collected once its
 *       connection closed; or</li>
 *   <li>a {@code dev.leakproof.fixture.ConnectionDriver.Builder} aimed at it with its own trust
 *       ({@code ConnectionDriver.forAddress(address, trustManagerFactory)}).</li>
 * </ul>
 * After each test, the server's connections must be closed on its side too (none left in
 * {@code CLOSE_WAIT}); descriptors, threads and, through {@link ResourceGrowth}, every resource are
 * judged as for the fixture server.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(cycles = 200)
 * class MyServerLeakTests {
 *     static MyTlsServer server;
 *
 *     @BeforeAll
 *     static void start(TlsFixtureServer fixture) {
 *         server = MyTlsServer.start(fixture.serverSslContext()); // the fixture's certificate
 *     }
 *
 *     @AfterAll
 *     static void stop() {
 *         server.close();
 *     }
 *
 *     @TargetServer
 *     static InetSocketAddress target() {
 *         return server.address();
 *     }
 *
 *     @Test
 *     void connectionsLeaveNothingBehind() {
 *         // no connection of its own: 200 cycles are driven at the target server
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TargetServer {
}
