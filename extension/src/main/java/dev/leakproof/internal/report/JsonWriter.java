package dev.leakproof.internal.report;

import java.util.Locale;

/**
 * A small JSON writer: the report needs no JSON library on the user's test classpath.
 *
 * <pre>{@code
 * JsonWriter j = new JsonWriter();
 * j.open('{');
 * j.field("passed").value(true);
 * j.close('}');
 * String json = j.toString();
 * }</pre>
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;
    private int depth;

    JsonWriter open(char c) {
        out.append(c);
        depth++;
        first = true;
        return this;
    }

    JsonWriter close(char c) {
        depth--;
        newline();
        out.append(c);
        first = false;
        return this;
    }

    JsonWriter field(String name) {
        separator();
        quote(name);
        out.append(": ");
        return this;
    }

    JsonWriter element() {
        separator();
        return this;
    }

    JsonWriter string(String value) {
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        first = false;
        return this;
    }

    JsonWriter value(Object value) {
        out.append(value);
        first = false;
        return this;
    }

    private void separator() {
        if (!first) {
            out.append(',');
        }
        newline();
        first = true;
    }

    private void newline() {
        out.append('\n').append("  ".repeat(Math.max(0, depth)));
    }

    private void quote(String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString() + "\n";
    }
}
