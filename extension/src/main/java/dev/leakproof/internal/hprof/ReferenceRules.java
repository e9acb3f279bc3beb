package dev.leakproof.internal.hprof;

import java.util.HashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * References a path search passes by (ignored: a weak reference's referent) or follows last
 * (accepted: held by design, shown apart), by the class named in the rule and the field's name, as
 * Shark's reference matchers work: an instance field rule applies to that field name in the class
 * named and every subclass.
 *
 * <pre>{@code
 * ReferenceRules rules = new ReferenceRules().ignoreInstanceField("java.lang.ref.Reference", "referent");
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ReferenceRules {

    /** What a rule does with the reference it matches. */
    public enum Action { IGNORE, ACCEPT }

    final Map<String, Map<String, Action>> instanceFields = new HashMap<>();
    final Map<String, Map<String, Action>> staticFields = new HashMap<>();

    public ReferenceRules ignoreInstanceField(String className, String field) {
        instanceFields.computeIfAbsent(className, k -> new HashMap<>()).put(field, Action.IGNORE);
        return this;
    }

    public ReferenceRules acceptInstanceField(String className, String field) {
        instanceFields.computeIfAbsent(className, k -> new HashMap<>()).put(field, Action.ACCEPT);
        return this;
    }

    public ReferenceRules ignoreStaticField(String className, String field) {
        staticFields.computeIfAbsent(className, k -> new HashMap<>()).put(field, Action.IGNORE);
        return this;
    }

    public ReferenceRules acceptStaticField(String className, String field) {
        staticFields.computeIfAbsent(className, k -> new HashMap<>()).put(field, Action.ACCEPT);
        return this;
    }
}
