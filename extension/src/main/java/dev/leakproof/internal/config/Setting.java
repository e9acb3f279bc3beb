package dev.leakproof.internal.config;

import dev.leakproof.DetectConnectionLeaks;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * One setting, declared once in {@link Settings}: its configuration parameter, the annotation
 * attribute it reads ({@code @DetectConnectionLeaks}'s, or an opt-in check's own annotation), its
 * default, and how a value is checked. Values come typed from the annotation or the builder
 * (checked, not parsed) or as text from a configuration parameter (parsed); either way a bad value fails fast with an {@link ExtensionConfigurationException}
 * naming the key, the value and where it was set.
 *
 * <pre>{@code
 * static final Setting<Integer> CYCLES = Setting.wholeNumber("leakproof.cycles",
 *         DetectConnectionLeaks.class, "cycles", 1000, 1, DetectConnectionLeaks::cycles);
 * }</pre>
 *
 * @param <T> the resolved type
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Setting<T> {

    /** Separates list elements in one configuration parameter, e.g. steps of an exchange. */
    public static final String LIST_SEPARATOR = " | ";

    private final String key;
    private final Class<? extends Annotation> annotation;
    private final String attribute;
    private final String defaultText;
    private final Function<String, T> fromText;
    private final Function<Object, T> fromValue;
    private final Function<Annotation, Object> attributeValue;

    @SuppressWarnings("unchecked")
    private <A extends Annotation> Setting(String key, Class<A> annotation, String attribute, String defaultText,
            Function<String, T> fromText, Function<Object, T> fromValue, Function<A, Object> attributeValue) {
        this.key = key;
        this.annotation = annotation;
        this.attribute = attribute;
        this.defaultText = defaultText;
        this.fromText = fromText;
        this.fromValue = fromValue;
        this.attributeValue = a -> attributeValue.apply((A) a);
    }

    /** An {@code int} attribute with {@link DetectConnectionLeaks#UNSET} for "not set", at least {@code min}. */
    static <A extends Annotation> Setting<Integer> wholeNumber(String key, Class<A> annotation, String attribute,
            int defaultValue, int min, ToIntFunction<A> attributeValue) {
        return wholeNumber(key, annotation, attribute, defaultValue, value -> Parsers.atLeast(value, min),
                attributeValue);
    }

    /** As {@link #wholeNumber(String, Class, String, int, int, ToIntFunction)}, at most {@code max}. */
    static <A extends Annotation> Setting<Integer> wholeNumber(String key, Class<A> annotation, String attribute,
            int defaultValue, int min, int max, ToIntFunction<A> attributeValue) {
        return wholeNumber(key, annotation, attribute, defaultValue, value -> Parsers.between(value, min, max),
                attributeValue);
    }

    private static <A extends Annotation> Setting<Integer> wholeNumber(String key, Class<A> annotation,
            String attribute, int defaultValue, Function<Integer, Integer> check, ToIntFunction<A> attributeValue) {
        return new Setting<>(key, annotation, attribute, Integer.toString(defaultValue),
                text -> check.apply(Parsers.wholeNumber(text)), value -> check.apply((Integer) value),
                a -> attributeValue.applyAsInt(a) == DetectConnectionLeaks.UNSET ? null : attributeValue.applyAsInt(a));
    }

    /** A {@code String} attribute, empty for "not set", parsed the same way as the parameter. */
    static <A extends Annotation, T> Setting<T> text(String key, Class<A> annotation, String attribute,
            String defaultText, Function<String, T> parser, Function<A, String> attributeValue) {
        return new Setting<>(key, annotation, attribute, defaultText, parser, value -> parser.apply((String) value),
                a -> attributeValue.apply(a).isEmpty() ? null : attributeValue.apply(a));
    }

    /** A {@code String[]} attribute, empty for "not set"; the parameter separates elements with {@value #LIST_SEPARATOR}. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation, T> Setting<T> list(String key, Class<A> annotation, String attribute,
            Function<List<String>, T> parser, Function<A, String[]> attributeValue) {
        return new Setting<>(key, annotation, attribute, "", text -> parser.apply(Parsers.split(text)),
                value -> parser.apply((List<String>) value),
                a -> attributeValue.apply(a).length == 0 ? null : List.of(attributeValue.apply(a)));
    }

    /** A {@code boolean} attribute: set when it differs from the default. */
    static <A extends Annotation> Setting<Boolean> flag(String key, Class<A> annotation, String attribute,
            boolean defaultValue, Predicate<A> attributeValue) {
        return new Setting<>(key, annotation, attribute, Boolean.toString(defaultValue), Parsers::bool,
                value -> (Boolean) value, a -> attributeValue.test(a) == defaultValue ? null : attributeValue.test(a));
    }

    /**
     * An enum attribute, set when it differs from the default (the JUnit way for an enum with a
     * default constant, as {@code @Timeout}'s {@code ThreadMode}); the parameter is parsed by {@code parser}.
     */
    static <A extends Annotation, E extends Enum<E>> Setting<E> choice(String key, Class<A> annotation,
            String attribute, E defaultValue, Function<String, E> parser, Function<A, E> attributeValue) {
        return new Setting<>(key, annotation, attribute, defaultValue.name(), parser,
                value -> defaultValue.getDeclaringClass().cast(value),
                a -> attributeValue.apply(a) == defaultValue ? null : attributeValue.apply(a));
    }

    /**
     * An attribute of an annotation-side enum whose {@code DEFAULT} constant means "not set" (as
     * JUnit's {@code CleanupMode.DEFAULT}) and whose other constants name the fixture's enum
     * {@code type} constant by constant; the builder gives the fixture's constant itself.
     */
    static <A extends Annotation, E extends Enum<E>> Setting<E> typed(String key, Class<A> annotation,
            String attribute, Class<E> type, String defaultText, Function<String, E> parser,
            Function<A, Enum<?>> attributeValue) {
        return new Setting<>(key, annotation, attribute, defaultText, parser,
                value -> type.isInstance(value) ? type.cast(value) : Enum.valueOf(type, ((Enum<?>) value).name()),
                a -> attributeValue.apply(a).name().equals("DEFAULT") ? null : attributeValue.apply(a));
    }

    /** An {@code int[]} attribute, empty for "not set"; the parameter separates numbers with commas. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation, T> Setting<T> numbers(String key, Class<A> annotation, String attribute,
            Function<List<Integer>, T> check, Function<A, int[]> attributeValue) {
        return new Setting<>(key, annotation, attribute, "", text -> check.apply(Parsers.numbers(text)),
                value -> check.apply((List<Integer>) value),
                a -> attributeValue.apply(a).length == 0 ? null : IntStream.of(attributeValue.apply(a)).boxed().toList());
    }

    /** A setting with no annotation attribute: a configuration parameter only. */
    static <T> Setting<T> parameter(String key, String defaultText, Function<String, T> parser) {
        return new Setting<T>(key, DetectConnectionLeaks.class, null, defaultText, parser,
                value -> parser.apply((String) value), a -> null);
    }

    public String key() {
        return key;
    }

    /** The annotation whose attribute sets it. */
    public Class<? extends Annotation> annotation() {
        return annotation;
    }

    /** The name of the attribute that sets it, empty for a configuration parameter only. */
    public Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /** The value when nothing sets it, as a configuration parameter would write it ({@code ""}: none). */
    public String defaultText() {
        return defaultText;
    }

    /** The value set on the test class's annotation, or empty when it is absent or left at "not set". */
    Optional<Object> valueOn(Class<?> testClass) {
        return AnnotationSupport.findAnnotation(testClass, annotation).map(attributeValue);
    }

    /** How the attribute reads where the user wrote it: {@code @DetectConnectionLeaks(cycles = -5)}. */
    String written(Object value) {
        String literal;
        if (value instanceof String s) {
            literal = '"' + s + '"';
        } else if (value instanceof Enum<?> e) {
            literal = e.getDeclaringClass().getSimpleName() + "." + e.name();
        } else if (value instanceof List<?> list) {
            literal = list.stream().map(e -> e instanceof String s ? '"' + s + '"' : String.valueOf(e))
                    .collect(Collectors.joining(", ", "{", "}"));
        } else {
            literal = String.valueOf(value);
        }
        return "@" + annotation.getSimpleName() + "(" + attribute + " = " + literal + ")";
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
