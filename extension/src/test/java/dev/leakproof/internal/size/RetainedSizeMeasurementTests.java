package dev.leakproof.internal.size;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** JOL and the heap slope measure the same thing, with either provider, and memory returns after close. */
class RetainedSizeMeasurementTests {

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void jolAndHeapSlopeAgreeOnTheBuiltInService(TlsProvider provider) {
        try (TlsFixtureServer server = TlsFixtureServer.builder().provider(provider).start()) {
            RetainedSize size = RetainedSizeMeasurement.measure(server, 200, LineScript.of("> ping", "< ping"), java.util.Set.of());
            assertThat(size.disagreement()).as("%s", size).isLessThan(0.15);
            assertThat(size.jolBytesPerConnection()).as("%s", size).isBetween(1024.0, 64 * 1024.0);
            assertThat(size.residualBytesPerConnection()).as("memory back after close: %s", size)
                    .isLessThan(Math.max(0.25 * size.jolBytesPerConnection(), 1024));
            assertThat(size.topClasses()).isNotEmpty();
        }
    }
}
