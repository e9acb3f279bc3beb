package dev.leakproof.internal;

import static dev.leakproof.DetectConnectionLeaks.CLOSE_STYLE_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.CONCURRENCY_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.CYCLES_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.GRACE_PERIOD_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.PROVIDER_PROPERTY_NAME;

import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.TlsProvider;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Every setting of one test class, resolved once (attribute or builder value, then configuration
 * parameter, then default) and checked together.
 */
public record LeakSettings(int cycles, int concurrency, TlsProvider provider, CloseStyle closeStyle,
        Duration gracePeriod) {

    static final Setting<Integer> CYCLES = Setting.of(CYCLES_PROPERTY_NAME, "1000", Setting.intAtLeast(1));
    static final Setting<Integer> CONCURRENCY = Setting.of(CONCURRENCY_PROPERTY_NAME, "8", Setting.intAtLeast(1));
    static final Setting<TlsProvider> PROVIDER = Setting.of(PROVIDER_PROPERTY_NAME, "jdk", TlsProvider::parse);
    static final Setting<CloseStyle> CLOSE_STYLE = Setting.of(CLOSE_STYLE_PROPERTY_NAME, "client-close", CloseStyle::parse);
    static final Setting<Duration> GRACE_PERIOD = Setting.of(GRACE_PERIOD_PROPERTY_NAME, "5s", Setting.positiveDuration());

    public static LeakSettings resolve(ConfigSource source) {
        int cycles = CYCLES.resolve(source);
        int concurrency = CONCURRENCY.resolve(source);
        if (concurrency > cycles) {
            throw new ExtensionConfigurationException("Invalid Leakproof settings: " + CONCURRENCY_PROPERTY_NAME
                    + " = " + concurrency + " is more than " + CYCLES_PROPERTY_NAME + " = " + cycles
                    + "; connections in flight cannot outnumber the cycles");
        }
        return new LeakSettings(cycles, concurrency, PROVIDER.resolve(source), CLOSE_STYLE.resolve(source),
                GRACE_PERIOD.resolve(source));
    }
}
