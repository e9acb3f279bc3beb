package dev.leakproof.internal.config;

/**
 * A field that holds objects by design, as a user names it in {@code leakTraceIgnore}:
 * {@code com.example.Owner#field}, or {@code static com.example.Owner#FIELD}.
 *
 * @param ownerClass the class declaring the field
 * @param field the field's name
 * @param isStatic whether it is a static field
 */
public record ReferenceSpec(String ownerClass, String field, boolean isStatic) {
}
