package dev.leakproof.examples.clientpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The client pool leak story in Java: client code that does not read or close its responses keeps one connection per
 * request out of its pool. The fixture server plays the report service (its HTTP service streams a
 * 32 MB body, more than the sockets buffer); Leakproof counts the open connections after 3 and after 6
 * requests and fails with {@code open connections grow with the number of requests: 3 open after 3
 * requests, 6 open after 6 ...}, naming each stuck connection.
 * {@link ReportClientFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(ReportClientLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP, gracePeriod = "2s")
public final class ReportClientLeakExample {

    static final String REPORT = "/large?bytes=32000000";

    @Test
    void readTheFirstLineOfEachReport(TlsFixtureServer server, ResourceGrowth growth) {
        ReportClient reports = new ReportClient(server.clientSslContext(), server.uri(REPORT));
        growth.assertOpenConnectionsDoNotGrowWithRequests(3, 6, requests -> {
            for (int i = 0; i < requests; i++) {
                assertThat(reports.firstLine()).startsWith("xxxx");
            }
        });
    }
}
