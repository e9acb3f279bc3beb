package dev.leakproof.internal.check;

import dev.leakproof.internal.origin.ClassOrigin;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The words for a growing collection, the culprit a failure leads with: which collection, who owns
 * it (the project, a dependency by its coordinates, the JDK, the test), and what to do, by the
 * pattern it follows (a close or listener registry, a cache keyed by client input, an executor's
 * queue, a scheduled task, a ThreadLocal, channels never closed or kept after close).
 *
 * <pre>{@code
 * String holds = Culprit.holds(collection, "repetition", "repetitions", 1000);
 * String advice = Culprit.advice(collection, "com.example.ClientTests", "repetition");
 * }</pre>
 */
final class Culprit {

    /** The patterns of a collection that grows, each with its own advice. */
    enum Kind { THREAD_LOCAL, SCHEDULED_TASK, EXECUTOR_QUEUE, CLIENT_INPUT, NEVER_CLOSED, REGISTRY, KEPT_AFTER_CLOSE, COLLECTION }

    /** The inputs Leakproof's driver varies per connection: a server name, a request path, a header value. */
    private static final Pattern CLIENT_INPUT = Pattern.compile(".*(\\.leakproof\\.test|/leakproof/\\d+).*|c\\d+");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?i).*(close|hook|listener|callback|children|subscri|observer|registr|closeable|watcher|handlers).*");

    private Culprit() {
    }

    static Kind kind(GrowingCollection c) {
        String collection = c.collectionClass();
        if (c.way().contains("threadLocals")) {
            return Kind.THREAD_LOCAL;
        }
        if (collection.contains("DelayedWorkQueue") || collection.contains("DefaultPriorityQueue")
                || c.field().equals("scheduledTaskQueue")) {
            return Kind.SCHEDULED_TASK;
        }
        if (c.field().equals("workQueue") || c.field().equals("taskQueue")
                || (!c.threads().isEmpty() && collection.contains("Queue"))) {
            return Kind.EXECUTOR_QUEUE;
        }
        if (c.keys().stream().anyMatch(k -> CLIENT_INPUT.matcher(k).matches())) {
            return Kind.CLIENT_INPUT;
        }
        if (c.openChannels() > 0 && c.closedChannels() == 0) {
            return Kind.NEVER_CLOSED;
        }
        if (REGISTRY.matcher(c.field()).matches() || REGISTRY.matcher(ClassNames.simple(c.ownerClass())).matches()) {
            return Kind.REGISTRY;
        }
        return c.closedChannels() > 0 ? Kind.KEPT_AFTER_CLOSE : Kind.COLLECTION;
    }

    /** The collection as a person names it: its field, or the executor's queue, with its class. */
    static String name(GrowingCollection c) {
        String type = article(ClassNames.readable(c.collectionClass()));
        if (kind(c) == Kind.EXECUTOR_QUEUE && !c.threads().isEmpty()) {
            return "the queue of the executor run by thread '" + c.threads().get(0) + "'" + (c.fieldName().isEmpty() ? ""
                    : " (" + c.fieldName() + ", " + type + (c.keeper().isEmpty() ? "" : ", kept by "
                    + ClassNames.readable(c.keeper())) + ")");
        }
        if (c.fieldName().isEmpty()) {
            return type + " reached by " + c.way();
        }
        return (c.staticField() ? "the static field " : "") + c.fieldName() + " (" + type + ")";
    }

    /**
     * What the collection holds: how many entries it holds now against the connections or
     * repetitions so far, and what each entry holds.
     */
    static String holds(GrowingCollection c, String singular, String plural, long units) {
        return holds(c, singular, plural, units, List.of());
    }

    /**
     * As above; {@code throughEntries} are classes traced with the growth whose every path ran
     * through a traced entry (Shark reports an object only when no other traced object lies on its
     * path): what hangs off each entry.
     */
    static String holds(GrowingCollection c, String singular, String plural, long units, List<String> throughEntries) {
        StringBuilder text = new StringBuilder("It holds ");
        if (c.entries() >= 0) {
            text.append(String.format(Locale.ROOT, "%,d", c.entries())).append(c.entries() == 1 ? " entry" : " entries");
            if (units > 0) {
                text.append(" after ").append(String.format(Locale.ROOT, "%,d", units)).append(' ').append(plural)
                        .append(String.format(Locale.ROOT, " (%.2f per %s)", (double) c.entries() / units, singular));
            }
        } else {
            text.append("at least ").append(c.entriesSeen()).append(c.entriesSeen() == 1 ? " entry" : " entries")
                    .append(" (the traced objects' own)");
        }
        if (c.keyCount() > 0) {
            text.append(", keyed by ").append(c.keys().stream().map(k -> '"' + k + '"').collect(Collectors.joining(", ")))
                    .append(c.keyCount() > c.keys().size() ? " and " + (c.keyCount() - c.keys().size()) + " more" : "");
        }
        text.append("; each entry ").append(article(ClassNames.readable(c.entryClass())));
        String held = java.util.stream.Stream.concat(c.held().keySet().stream(), throughEntries.stream())
                .filter(h -> !h.equals(c.entryClass())).map(ClassNames::readable).distinct().collect(Collectors.joining(", "));
        return text.append(held.isEmpty() ? "" : ", holding " + held).append('.').toString();
    }

    /**
     * Whose code the collection is: its field's class, told by where it was loaded; and, when the test
     * holds a long-lived object on purpose (a framework core, a server, a client it reuses) with the
     * collection inside it, that the test's field is not the culprit.
     */
    static String owner(GrowingCollection c, String testClass) {
        String owner = ownerClass(c);
        if (owner.isEmpty()) {
            return "";
        }
        ClassOrigin origin = ClassOrigin.of(owner, testClass);
        StringBuilder text = new StringBuilder("Owner: ").append(ClassNames.readable(owner)).append(", in ")
                .append(origin.describe()).append('.');
        String root = c.rootReference();
        if (!root.isEmpty() && origin.kind() != ClassOrigin.Kind.TEST
                && ClassOrigin.of(root.substring(0, root.indexOf('#')), testClass).kind() == ClassOrigin.Kind.TEST) {
            text.append(" The test's field ").append(ClassNames.readable(root.substring(0, root.indexOf('#'))))
                    .append('.').append(root.substring(root.indexOf('#') + 1))
                    .append(" holds a long-lived object on purpose; the culprit is the collection inside it.");
        }
        return text.toString();
    }

    /** The class whose code keeps the collection: the field's class, or, for the JDK's, the nearest other. */
    static String ownerClass(GrowingCollection c) {
        if (!c.ownerClass().isEmpty() && !ClassNames.isJdkClass(c.ownerClass())) {
            return c.ownerClass();
        }
        return c.keeper();
    }

    /**
     * Whether the pattern's advice says more than the path's: any pattern but a plain collection of
     * the project's own, whose path advice (remove the entry on close, in channelInactive() for a
     * hosted server) fits its side better.
     */
    static boolean saysMore(GrowingCollection c, String testClass) {
        return kind(c) != Kind.COLLECTION || fromDependency(c, testClass);
    }

    /** Whether the collection's owner was loaded from a dependency's jar. */
    static boolean fromDependency(GrowingCollection c, String testClass) {
        String owner = ownerClass(c);
        return !owner.isEmpty() && ClassOrigin.of(owner, testClass).kind() == ClassOrigin.Kind.DEPENDENCY;
    }

    /** Whether the test class's own code keeps the collection: then the test is told to clear it. */
    static boolean ownedByTest(GrowingCollection c, String testClass) {
        Kind kind = kind(c);
        if (kind == Kind.EXECUTOR_QUEUE || kind == Kind.SCHEDULED_TASK || kind == Kind.THREAD_LOCAL || kind == Kind.NEVER_CLOSED
                || kind == Kind.CLIENT_INPUT) {
            return false; // the pattern's advice says more than "clear the test's field"
        }
        String owner = ownerClass(c);
        return !owner.isEmpty() && ClassOrigin.of(owner, testClass).kind() == ClassOrigin.Kind.TEST;
    }

    /** What to do, by the collection's pattern; for a dependency's code, whose bug it is and what then. */
    static String advice(GrowingCollection c, String testClass, String singular) {
        String name = name(c);
        String text = switch (kind(c)) {
            case THREAD_LOCAL -> "a ThreadLocal on a long-lived thread keeps " + name + ", which gains an entry per "
                    + singular + ": remove the entries when the work is done, or call remove() on the ThreadLocal.";
            case SCHEDULED_TASK -> "a task is scheduled per " + singular + " and never cancelled: keep its future and "
                    + "cancel it when the " + singular + " ends.";
            case EXECUTOR_QUEUE -> "thread '" + first(c) + "' is blocked or cannot keep up, and its queue holds "
                    + entries(c) + " tasks, each holding what its " + singular + " used. Find where '" + first(c)
                    + "' waits (a thread dump shows it) and bound that wait; bound the queue (an ArrayBlockingQueue "
                    + "and a rejection policy), and let each task carry what it needs rather than the connection.";
            case CLIENT_INPUT -> name + " is a cache keyed by client input (" + inputKind(c) + "), without a bound: "
                    + "every new value a client sends adds an entry, so it is also a denial-of-service risk. Bound it (an "
                    + "LRU, an expiry) or key it by what the server controls (its configured names).";
            case NEVER_CLOSED -> "the " + c.openChannels() + " channels kept in " + name + " were never closed ("
                    + c.openChannels() + " of " + (c.openChannels() + c.closedChannels()) + " still open): close a "
                    + "channel when what it was opened for fails (a failed bind or connect, in the catch), and register "
                    + "it only once it works.";
            case REGISTRY -> name + " is a close or listener registry that gains an entry per " + singular
                    + " and never loses it: the entry is not removed when what it registers is closed. Remove it on close "
                    + "(in close(), or a close listener), or hold the entries by weak references.";
            case KEPT_AFTER_CLOSE -> name + " keeps " + c.closedChannels() + " channels after they were closed: remove "
                    + "each when it closes.";
            case COLLECTION -> name + " gains an entry per " + singular + " and never loses one: remove the entry when "
                    + "the " + singular + " ends, or bound the collection.";
        };
        String owner = ownerClass(c);
        ClassOrigin origin = owner.isEmpty() ? null : ClassOrigin.of(owner, testClass);
        if (origin != null && origin.kind() == ClassOrigin.Kind.DEPENDENCY) {
            text += " This is " + origin.artifact() + "'s code, not the test's: check that library's issue tracker for "
                    + "the leak or upgrade it; until then, use it so that it creates less (one client reused, not one per "
                    + singular + "). Accept it with acceptedLeaks = \"" + owner + "#" + (c.field().isEmpty() ? "<field>" : c.field())
                    + "\" only if the library bounds it.";
        }
        return "What to do next: " + text;
    }

    /** Whether the collection is the JDK's TLS session state (its session caches, resumption tickets): by design. */
    static boolean jdkTlsSessionState(GrowingCollection c) {
        return c.way().contains("SSLSessionContextImpl") || c.way().contains("SSLSessionImpl")
                || c.ownerClass().startsWith("sun.security.ssl.");
    }

    private static String inputKind(GrowingCollection c) {
        String key = c.keys().stream().filter(k -> CLIENT_INPUT.matcher(k).matches()).findFirst().orElse("");
        if (key.contains(".leakproof.test")) {
            return "the TLS server name each client sends";
        }
        return key.contains("/leakproof/") ? "the request path each client sends" : "a value each client sends";
    }

    private static String first(GrowingCollection c) {
        return c.threads().isEmpty() ? "?" : c.threads().get(0);
    }

    private static String entries(GrowingCollection c) {
        return c.entries() >= 0 ? String.format(Locale.ROOT, "%,d", c.entries()) : "at least " + c.entriesSeen();
    }

    private static String article(String noun) {
        return ("AEIOU".indexOf(Character.toUpperCase(noun.isEmpty() ? 'x' : noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
    }
}
