package dev.leakproof.internal.session;

import dev.leakproof.fixture.ConnectionErrorKind;
import dev.leakproof.fixture.TlsFixtureServer;
import java.util.Optional;

/**
 * Connections the hosted pipeline failed to set up (it threw in {@code initChannel}) during one
 * test: the fixture server counted and closed each, so there is nothing to judge, and the test
 * fails with the pipeline's exception instead of a leak verdict.
 *
 * <pre>{@code
 * PipelineSetupFailures failures = new PipelineSetupFailures(server);
 * failures.testStarted();
 * // ... the test drives connections ...
 * failures.problem().ifPresent(problem -> { throw problem; });
 * }</pre>
 */
final class PipelineSetupFailures {

    private final TlsFixtureServer server;
    private long failedAtTestStart;
    private long acceptedAtTestStart;

    PipelineSetupFailures(TlsFixtureServer server) {
        this.server = server;
    }

    void testStarted() {
        acceptedAtTestStart = server.counts().accepted();
        failedAtTestStart = failed();
    }

    long acceptedSinceTestStart() {
        return server.counts().accepted() - acceptedAtTestStart;
    }

    long sinceTestStart() {
        return failed() - failedAtTestStart;
    }

    /** The test's failure when any connection of this test failed its setup. */
    Optional<AssertionError> problem() {
        long failed = sinceTestStart();
        if (failed == 0) {
            return Optional.empty();
        }
        Throwable first = server.firstPipelineSetupFailure().orElse(null);
        return Optional.of(new AssertionError("The server pipeline threw while setting up " + failed + " of "
                + acceptedSinceTestStart() + " connections (in initChannel), and the fixture server closed each at once: "
                + first + ". No leak verdict is possible for connections that never opened; fix the pipeline first.",
                first));
    }

    private long failed() {
        return server.counts().errors(ConnectionErrorKind.PIPELINE_SETUP_FAILED);
    }
}
