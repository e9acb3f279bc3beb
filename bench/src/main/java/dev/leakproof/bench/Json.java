package dev.leakproof.bench;

import dev.leakproof.fixture.internal.json.JsonReader;
import dev.leakproof.fixture.internal.json.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JSON for the benchmarks, through the project's one codec (the fixtures' {@code JsonReader} and
 * {@code JsonWriter}, which the extension's reports use too): values are {@code Map<String, Object>}
 * (insertion order), {@code List<Object>}, {@code String}, {@code Number} ({@code Long} or
 * {@code Double} when read), {@code Boolean} and {@code null}. It reads the extension's reports and
 * the benchmarks' result files, and writes the latter; this class adds the typed look-ups.
 *
 * <pre>{@code
 * Map<String, Object> report = Json.object(Json.parse(Files.readString(path)));
 * long millis = Json.number(Json.list(report.get("tests")).get(0), "verdictMillis").longValue();
 * }</pre>
 */
public final class Json {

    private Json() {
    }

    /** Parses one JSON value; fails with the offset on anything else. */
    public static Object parse(String text) {
        return JsonReader.read(text);
    }

    public static Object read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    public static void write(Path file, Object value) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, render(value), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("expected a JSON array, got " + describe(value));
        }
        return (List<Object>) value;
    }

    /** {@code object.key} as a number, or {@code null} when absent. */
    public static Number number(Object object, String key) {
        Object value = object(object).get(key);
        if (value != null && !(value instanceof Number)) {
            throw new IllegalArgumentException(key + ": expected a number, got " + describe(value));
        }
        return (Number) value;
    }

    /** {@code object.key} as text ({@code null} when absent). */
    public static String string(Object object, String key) {
        Object value = object(object).get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    // --- writing

    /**
     * Indented JSON, two spaces a level, with a newline at its end; fractions to six significant
     * digits, more than any benchmark figure here holds.
     */
    public static String render(Object value) {
        return JsonWriter.rounding(6).tree(value).toString();
    }
}
