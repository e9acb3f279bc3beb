package dev.leakproof.examples.clientpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The twin of {@link ReportClientLeakExample}: the client closes each response body, so no
 * connection is left checked out; the open connections do not grow with the requests and none is
 * left open after the test.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(ReportClientFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP, gracePeriod = "2s")
public final class ReportClientFixedExample {

    @Test
    void readTheFirstLineOfEachReport(TlsFixtureServer server, ResourceGrowth growth) {
        ReportClient reports = new FixedReportClient(server.clientSslContext(),
                server.uri(ReportClientLeakExample.REPORT));
        growth.assertOpenConnectionsDoNotGrowWithRequests(3, 6, requests -> {
            for (int i = 0; i < requests; i++) {
                assertThat(reports.firstLine()).startsWith("xxxx");
            }
        });
    }
}
