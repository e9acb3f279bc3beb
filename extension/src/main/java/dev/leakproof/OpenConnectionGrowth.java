package dev.leakproof;

import java.util.function.IntConsumer;

/**
 * Checks that client code does not keep a connection per request: a pool that leaks connections
 * looks fine after 5 requests and after 10, but not when the two are compared. Inject it into a
 * test of a class annotated with {@link DetectConnectionLeaks} (usually with {@code service = "http"}).
 *
 * <pre>{@code
 * @DetectConnectionLeaks(service = "http", maxOpenConnections = 2)
 * class ReportClientTests {
 *     @Test
 *     void responsesAreClosed(TlsFixtureServer server, OpenConnectionGrowth growth) {
 *         HttpClient client = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
 *         growth.assertDoesNotGrowWithRequests(10, 20, n -> {
 *             for (int i = 0; i < n; i++) {
 *                 fetchReport(client, server.uri("/large"));
 *             }
 *         });
 *     }
 * }
 * }</pre>
 */
public interface OpenConnectionGrowth {

    /**
     * Sends {@code fewerRequests}, counts the fixture server's open connections once they settle,
     * sends more up to {@code moreRequests} in all, counts again, and fails with a
     * {@link ConnectionLeakError} when the open connections grew by at least one per two extra
     * requests. {@code sendRequests} is called with the number of requests to send.
     */
    void assertDoesNotGrowWithRequests(int fewerRequests, int moreRequests, IntConsumer sendRequests);
}
