package dev.leakproof.internal.config;

import org.apiguardian.api.API;

/**
 * A field that holds objects by design, as a user names it in {@code leakTraceIgnore}:
 * {@code com.example.Owner#field}, or {@code static com.example.Owner#FIELD}.
 *
 * @param ownerClass the class declaring the field
 * @param field the field's name
 * @param isStatic whether it is a static field
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ReferenceSpec(String ownerClass, String field, boolean isStatic) {
}
