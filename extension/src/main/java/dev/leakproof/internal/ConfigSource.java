package dev.leakproof.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where setting values come from, in precedence order: values given explicitly (annotation
 * attributes or builder calls), then JUnit configuration parameters, then defaults. Each explicit
 * value remembers how it was written, so an error can quote the user's own words.
 */
public final class ConfigSource {

    private final Map<String, String> explicit = new LinkedHashMap<>();
    private final Map<String, String> explicitOrigin = new LinkedHashMap<>();
    private final Function<String, Optional<String>> parameters;

    public ConfigSource(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    /** Records an explicit value; {@code origin} is how the user wrote it, e.g. {@code @DetectConnectionLeaks(cycles = -5)}. */
    public ConfigSource explicit(String key, String value, String origin) {
        explicit.put(key, value);
        explicitOrigin.put(key, origin);
        return this;
    }

    /** Whether {@code key} was set on the annotation or the builder (not only by a configuration parameter). */
    boolean isExplicit(String key) {
        return explicit.containsKey(key);
    }

    /** The raw value and a description of where it came from, or empty when only the default applies. */
    Optional<Value> lookup(String key) {
        if (explicit.containsKey(key)) {
            return Optional.of(new Value(explicit.get(key), explicitOrigin.get(key)));
        }
        return parameters.apply(key).map(v -> new Value(v, "configuration parameter " + key + " = '" + v + "'"));
    }

    record Value(String raw, String origin) {
    }
}
