package dev.leakproof.internal.config;

import static dev.leakproof.internal.config.Settings.CONCURRENCY;
import static dev.leakproof.internal.config.Settings.CYCLES;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Every setting of one test class, resolved once (the annotation attribute or builder value, then
 * the configuration parameter, then the default) and checked together.
 *
 * <pre>{@code
 * LeakSettings settings = LeakSettings.resolve(source);
 * Duration grace = settings.get(Settings.GRACE_PERIOD);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LeakSettings {

    private final Map<Setting<?>, Object> values;
    private final ConfigSource source;

    private LeakSettings(Map<Setting<?>, Object> values, ConfigSource source) {
        this.values = values;
        this.source = source;
    }

    /** Resolves every setting in {@link Settings#ALL}; the first bad value fails with its key and value. */
    public static LeakSettings resolve(ConfigSource source) {
        Map<Setting<?>, Object> values = new IdentityHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            values.put(setting, setting.resolve(source));
            if (setting == CONCURRENCY) {
                checkConcurrency((Integer) values.get(CYCLES), (Integer) values.get(CONCURRENCY));
            }
        }
        return new LeakSettings(values, source);
    }

    private static void checkConcurrency(int cycles, int concurrency) {
        if (concurrency > cycles) {
            throw new ExtensionConfigurationException("Invalid Leakproof settings: " + CONCURRENCY.key() + " = "
                    + concurrency + " is more than " + CYCLES.key() + " = " + cycles
                    + "; connections in flight cannot outnumber the cycles");
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Whether {@code setting} was set on the annotation or the builder, not only by a configuration parameter. */
    public boolean isExplicit(Setting<?> setting) {
        return source.explicit(setting).isPresent();
    }
}
