package dev.leakproof.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetainedSizeMeasurementTests {

    @org.junit.jupiter.api.RepeatedTest(3)
    void repeated() {
        jolAndHeapSlopeAgreeOnTheBuiltInService(TlsProvider.OPENSSL);
        jolAndHeapSlopeAgreeOnTheBuiltInService(TlsProvider.JDK);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void jolAndHeapSlopeAgreeOnTheBuiltInService(TlsProvider provider) {
        try (TlsFixtureServer server = TlsFixtureServer.builder().provider(provider).start()) {
            RetainedSize size = RetainedSizeMeasurement.measure(server, 200, LineScript.of("> ping", "< ping"));
            System.out.println(provider + ": jol " + size.jolBytesPerConnection() + " heap " + size.heapSlopeBytesPerConnection() + " residual " + size.residualBytesPerConnection() + " ms " + size.millis() + " " + size.points());
            assertThat(size.disagreement()).as("%s", size).isLessThan(0.15);
        }
    }
}
