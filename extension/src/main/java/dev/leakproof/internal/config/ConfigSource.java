package dev.leakproof.internal.config;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Where setting values come from, in precedence order: values given explicitly (annotation
 * attributes or builder calls), then JUnit configuration parameters, then defaults. Each explicit
 * value remembers how it was written, so an error can quote the user's own words.
 *
 * <pre>{@code
 * ConfigSource source = new ConfigSource(context::getConfigurationParameter).annotations(testClass);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ConfigSource {

    /** An explicit value (typed, or text to parse) and how the user wrote it. */
    record Explicit(Object value, String origin) {
    }

    private final Map<Setting<?>, Explicit> explicit = new IdentityHashMap<>();
    private final Function<String, Optional<String>> parameters;

    public ConfigSource(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    /**
     * Records every attribute set on the test class's annotations: {@code @DetectConnectionLeaks} and
     * the opt-in checks' own ({@code @RetainedSizeBudget}, {@code @GrowthRun}, {@code @StepLoad}).
     */
    public ConfigSource annotations(Class<?> testClass) {
        for (Setting<?> setting : Settings.ALL) {
            setting.valueOn(testClass)
                    .ifPresent(value -> explicit.put(setting, new Explicit(value, setting.written(value))));
        }
        return this;
    }

    /**
     * Records an explicit value: of the setting's attribute type ({@code Integer}, {@code String},
     * {@code List<String>}, {@code Boolean}, {@code List<Integer>}); {@code origin} is how the user
     * wrote it, e.g. {@code ConnectionLeakDetector.builder().cycles(0)}.
     */
    public ConfigSource explicit(Setting<?> setting, Object value, String origin) {
        explicit.put(setting, new Explicit(value, origin));
        return this;
    }

    Optional<Explicit> explicit(Setting<?> setting) {
        return Optional.ofNullable(explicit.get(setting));
    }

    Optional<String> parameter(String key) {
        return parameters.apply(key);
    }
}
