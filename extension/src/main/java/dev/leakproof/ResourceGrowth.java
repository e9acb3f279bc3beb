package dev.leakproof;

import java.util.function.IntConsumer;
import org.apiguardian.api.API;

/**
 * Checks that an action repeated many times leaves nothing behind that grows with the
 * repetitions, across every resource at once: live instances of every class (after a full GC),
 * connections open at the fixture server, threads, file descriptors, scheduled tasks on the
 * fixture's event loops, and tracked objects. Inject it into any test method of a class annotated
 * with {@link DetectConnectionLeaks}; it works for client code talking to the fixture server, for
 * servers you start yourself, and for any repeated action.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(service = BuiltInService.HTTP)
 * class ReportClientTests {
 *     @Test
 *     void aClientPerRequestLeavesNothingBehind(TlsFixtureServer server, ResourceGrowth growth) {
 *         growth.assertDoesNotGrow(() -> {
 *             try (ReportClient client = new ReportClient(server.trustManagerFactory())) {
 *                 client.get(server.uri("/small"));
 *             }
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>The action runs {@value #DEFAULT_WARM_UP} times as a warm-up, then {@value #DEFAULT_STEP} and
 * {@code 2 x }{@value #DEFAULT_STEP} more times, and every resource is measured after each run once
 * it settled. Something that grows at the same rate in both steps (twice as much in the step twice
 * as long) is a leak; when something does, a third step of the same length confirms the rate
 * before the check fails. What the warm-up started and what stays constant after it (a client
 * library's global event loop started on first use, a pool kept idle, a cache filled once) is
 * reported as a note, not a failure. Why these counts: measured on this project's clients (the
 * JDK's HttpClient and Reactor Netty's), JIT and allocator noise settles within 20 repetitions, and
 * classes that only look like growth (byte arrays, boxed numbers, map nodes that come and go with
 * the allocator's pools) never kept the same rate over the two steps of 50 and 100 repetitions;
 * see BENCHMARKS.md. A leak of one object per repetition shows as 50, then 100, then 100. One kind
 * of growth does keep its rate and is left out: the strings the JVM interns, the string literals its
 * classes resolve as code runs for the first time or is compiled (1 to 4 per repetition of a clean
 * Netty client for hundreds of repetitions), which are taken out of the counts of {@code String}
 * and {@code byte[]}. A leak of your own strings is not interned, and counts.
 *
 * <p>A failure is a {@link ConnectionLeakError} that names the growing classes (your own and the
 * libraries' first, the JDK's byte arrays and map nodes after), how many per repetition, the other
 * resources' counts, and the reference path from a GC root to the growing instances.
 *
 * <p>For a client's connection pool there is a quicker, narrower check:
 * {@link #assertOpenConnectionsDoNotGrowWithRequests} counts only the connections open at the
 * fixture server, after fewer and after more requests:
 *
 * <pre>{@code
 * @DetectConnectionLeaks(service = BuiltInService.HTTP, maxOpenConnections = 2)
 * class ReportClientTests {
 *     @Test
 *     void responsesAreClosed(TlsFixtureServer server, ResourceGrowth growth) {
 *         HttpClient client = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
 *         growth.assertOpenConnectionsDoNotGrowWithRequests(10, 20, n -> {
 *             for (int i = 0; i < n; i++) {
 *                 fetchReport(client, server.uri("/large"));
 *             }
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>Either check's failure is also recorded in the class's report, under the test that made it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ResourceGrowth {

    /** Repetitions of the warm-up, unless {@link #withRepetitions} says otherwise. */
    int DEFAULT_WARM_UP = 25;

    /** K: the steps after the warm-up are K and 2K repetitions (and 2K more to confirm a growth). */
    int DEFAULT_STEP = 50;

    /**
     * Runs {@code action} repeatedly and fails with a {@link ConnectionLeakError} when any resource
     * grows in proportion to the repetitions.
     */
    void assertDoesNotGrow(Runnable action);

    /**
     * Like {@link #assertDoesNotGrow(Runnable)}, for actions that are cheaper in batches:
     * {@code repetitions} is called with the number of repetitions to run, e.g.
     * {@code n -> driver.run(n)}.
     */
    void assertDoesNotGrowInBatches(IntConsumer repetitions);

    /**
     * The same check with other counts: {@code warmUp} repetitions first, then steps of
     * {@code step} and {@code 2 x step}. More repetitions catch rarer leaks (one in every
     * {@code step / 5} repetitions at the least) and cost time in proportion.
     *
     * @throws IllegalArgumentException unless {@code warmUp >= 1} and {@code step >= 10}
     */
    ResourceGrowth withRepetitions(int warmUp, int step);

    /**
     * Checks that client code does not keep a connection per request: a pool that leaks connections
     * looks fine after 5 requests and after 10, but not when the two are compared. Sends
     * {@code fewerRequests}, counts the fixture server's open connections once they settle, sends
     * more up to {@code moreRequests} in all, counts again, and fails with a
     * {@link ConnectionLeakError} when the open connections grew by at least one per two extra
     * requests. {@code sendRequests} is called with the number of requests to send.
     *
     * @throws IllegalArgumentException unless {@code 1 <= fewerRequests} and
     *     {@code moreRequests >= fewerRequests + 2}
     */
    void assertOpenConnectionsDoNotGrowWithRequests(int fewerRequests, int moreRequests, IntConsumer sendRequests);
}
