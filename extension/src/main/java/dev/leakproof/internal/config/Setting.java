package dev.leakproof.internal.config;

import dev.leakproof.DetectConnectionLeaks;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One setting, declared once in {@link Settings}: its configuration parameter, the annotation
 * attribute it reads, its default, and how a value is checked. Values come typed from the
 * annotation or the builder (checked, not parsed) or as text from a configuration parameter
 * (parsed); either way a bad value fails fast with an {@link ExtensionConfigurationException}
 * naming the key, the value and where it was set.
 *
 * <pre>{@code
 * static final Setting<Integer> CYCLES = Setting.wholeNumber("leakproof.cycles", "cycles", 1000, 1,
 *         DetectConnectionLeaks::cycles);
 * }</pre>
 *
 * @param <T> the resolved type
 */
public final class Setting<T> {

    /** Separates list elements in one configuration parameter, e.g. steps of an exchange. */
    public static final String LIST_SEPARATOR = " | ";

    private final String key;
    private final String attribute;
    private final String defaultText;
    private final Function<String, T> fromText;
    private final Function<Object, T> fromValue;
    private final Function<DetectConnectionLeaks, Object> attributeValue;

    private Setting(String key, String attribute, String defaultText, Function<String, T> fromText,
            Function<Object, T> fromValue, Function<DetectConnectionLeaks, Object> attributeValue) {
        this.key = key;
        this.attribute = attribute;
        this.defaultText = defaultText;
        this.fromText = fromText;
        this.fromValue = fromValue;
        this.attributeValue = attributeValue;
    }

    /** An {@code int} attribute with {@link DetectConnectionLeaks#UNSET} for "not set", at least {@code min}. */
    static Setting<Integer> wholeNumber(String key, String attribute, int defaultValue, int min,
            ToIntFunction<DetectConnectionLeaks> attributeValue) {
        Function<Object, Integer> check = value -> Parsers.atLeast((Integer) value, min);
        return new Setting<>(key, attribute, Integer.toString(defaultValue),
                text -> check.apply(Parsers.wholeNumber(text)), check,
                a -> attributeValue.applyAsInt(a) == DetectConnectionLeaks.UNSET ? null : attributeValue.applyAsInt(a));
    }

    /** As {@link #wholeNumber(String, String, int, int, ToIntFunction)}, at most {@code max}. */
    static Setting<Integer> wholeNumber(String key, String attribute, int defaultValue, int min, int max,
            ToIntFunction<DetectConnectionLeaks> attributeValue) {
        Function<Object, Integer> check = value -> Parsers.between((Integer) value, min, max);
        return new Setting<>(key, attribute, Integer.toString(defaultValue),
                text -> check.apply(Parsers.wholeNumber(text)), check,
                a -> attributeValue.applyAsInt(a) == DetectConnectionLeaks.UNSET ? null : attributeValue.applyAsInt(a));
    }

    /** A {@code String} attribute, empty for "not set", parsed the same way as the parameter. */
    static <T> Setting<T> text(String key, String attribute, String defaultText, Function<String, T> parser,
            Function<DetectConnectionLeaks, String> attributeValue) {
        return new Setting<>(key, attribute, defaultText, parser, value -> parser.apply((String) value),
                a -> attributeValue.apply(a).isEmpty() ? null : attributeValue.apply(a));
    }

    /** A {@code String[]} attribute, empty for "not set"; the parameter separates elements with {@value #LIST_SEPARATOR}. */
    @SuppressWarnings("unchecked")
    static <T> Setting<T> list(String key, String attribute, Function<List<String>, T> parser,
            Function<DetectConnectionLeaks, String[]> attributeValue) {
        return new Setting<>(key, attribute, "", text -> parser.apply(Parsers.split(text)),
                value -> parser.apply((List<String>) value),
                a -> attributeValue.apply(a).length == 0 ? null : List.of(attributeValue.apply(a)));
    }

    /** A {@code boolean} attribute: set when it differs from the default. */
    static Setting<Boolean> flag(String key, String attribute, boolean defaultValue,
            Predicate<DetectConnectionLeaks> attributeValue) {
        return new Setting<>(key, attribute, Boolean.toString(defaultValue), Parsers::bool, value -> (Boolean) value,
                a -> attributeValue.test(a) == defaultValue ? null : attributeValue.test(a));
    }

    /**
     * An enum attribute, set when it differs from the default (the JUnit way for an enum with a
     * default constant, as {@code @Timeout}'s {@code ThreadMode}); the parameter is parsed by {@code parser}.
     */
    static <E extends Enum<E>> Setting<E> choice(String key, String attribute, E defaultValue, Function<String, E> parser,
            Function<DetectConnectionLeaks, E> attributeValue) {
        return new Setting<>(key, attribute, defaultValue.name(), parser, value -> defaultValue.getDeclaringClass()
                .cast(value), a -> attributeValue.apply(a) == defaultValue ? null : attributeValue.apply(a));
    }

    /** An {@code int[]} attribute, empty for "not set"; the parameter separates numbers with commas. */
    @SuppressWarnings("unchecked")
    static <T> Setting<T> numbers(String key, String attribute, Function<List<Integer>, T> check,
            Function<DetectConnectionLeaks, int[]> attributeValue) {
        return new Setting<>(key, attribute, "", text -> check.apply(Parsers.numbers(text)),
                value -> check.apply((List<Integer>) value),
                a -> attributeValue.apply(a).length == 0 ? null : IntStream.of(attributeValue.apply(a)).boxed().toList());
    }

    /** A setting with no annotation attribute: a configuration parameter only. */
    static <T> Setting<T> parameter(String key, String defaultText, Function<String, T> parser) {
        return new Setting<>(key, null, defaultText, parser, value -> parser.apply((String) value), a -> null);
    }

    public String key() {
        return key;
    }

    /** The value set on {@code annotation}, or empty when the attribute is left at "not set". */
    Optional<Object> valueOn(DetectConnectionLeaks annotation) {
        return Optional.ofNullable(attributeValue.apply(annotation));
    }

    /** How the attribute reads where the user wrote it: {@code @DetectConnectionLeaks(cycles = -5)}. */
    String written(Object value) {
        String literal;
        if (value instanceof String s) {
            literal = '"' + s + '"';
        } else if (value instanceof List<?> list) {
            literal = list.stream().map(e -> e instanceof String s ? '"' + s + '"' : String.valueOf(e))
                    .collect(Collectors.joining(", ", "{", "}"));
        } else {
            literal = String.valueOf(value);
        }
        return "@DetectConnectionLeaks(" + attribute + " = " + literal + ")";
    }

    /** Resolves this setting: the explicit value, else the configuration parameter, else the default. */
    T resolve(ConfigSource source) {
        Optional<ConfigSource.Explicit> explicit = source.explicit(this);
        if (explicit.isPresent()) {
            Object value = explicit.get().value();
            return checked(() -> value instanceof String text ? fromText.apply(text) : fromValue.apply(value),
                    shown(value), explicit.get().origin());
        }
        Optional<String> parameter = source.parameter(key);
        if (parameter.isPresent()) {
            return checked(() -> fromText.apply(parameter.get()), parameter.get(),
                    "configuration parameter " + key + " = '" + parameter.get() + "'");
        }
        return checked(() -> fromText.apply(defaultText), defaultText, "default");
    }

    private T checked(java.util.function.Supplier<T> value, String raw, String origin) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("Invalid Leakproof setting " + key + " = '" + raw + "' (from "
                    + origin + "): " + e.getMessage(), e);
        }
    }

    /** A value as the error message quotes it: lists of text as a parameter would write them. */
    private static String shown(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Integer) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(LIST_SEPARATOR));
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return key;
    }

    /** {@code 100, 500, 1000}: load steps as one parameter value. */
    public static String joinNumbers(int[] numbers) {
        return Arrays.stream(numbers).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
