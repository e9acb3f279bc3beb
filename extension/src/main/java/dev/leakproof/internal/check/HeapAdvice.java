package dev.leakproof.internal.check;

import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.trace.GrowingCollection;
import dev.leakproof.internal.trace.LeakTraces;
import java.util.Locale;

/**
 * What to do next about objects that survived, told from the path that holds them: what holds
 * them (a scheduled task, a ThreadLocal, a static field, a listener) and whose code it is (the
 * user's, a library's, the test's own), in words that fit where the objects live (a server's
 * connections or a client's objects) and agree with the counts.
 *
 * <pre>{@code
 * String advice = HeapAdvice.forPath("static OnlineUsers.ONLINE[] -> PresenceSession");
 * }</pre>
 */
final class HeapAdvice {

    /**
     * Where the leaked objects lived: the advice differs for a connection of the server hosted in the
     * fixture (Netty code), a connection of a server the test started (any code), and a client's object.
     */
    enum Side { SERVER, OWN_SERVER, CLIENT }

    static final String GENERAL = "What to do next: something long-lived still references these objects after "
            + "the connection closed: a static collection or registry, a listener or callback that is never removed, "
            + "a scheduled task that is never cancelled, a ThreadLocal, or a cache keyed by connection. Remove the "
            + "reference in channelInactive() or handlerRemoved(), and cancel per-connection tasks there.";

    private HeapAdvice() {
    }

    /** Advice for a server's connections held by the user's own code, told from the path alone. */
    static String forPath(String path) {
        if (path == null) {
            return GENERAL;
        }
        if (isScheduledTask(path)) {
            return "What to do next: a scheduled task still references the connection after it closed (a heartbeat, "
                    + "a timeout): keep its ScheduledFuture and cancel it in channelInactive() or handlerRemoved().";
        }
        if (path.contains("ThreadPoolExecutor.workQueue") || path.contains("ForkJoinPool")) {
            return "What to do next: tasks queued on an executor reference the connections after they closed: the "
                    + "executor cannot keep up or is never shut down. Bound its queue, shut it down with its owner, "
                    + "or let the task hold what it needs instead of the connection.";
        }
        if (path.contains("threadLocals")) {
            return "What to do next: a ThreadLocal on a long-lived thread (the event loop) keeps the last connection: "
                    + "remove() it when the work is done, or keep per-connection state in a channel attribute.";
        }
        if (path.startsWith("static ")) {
            return "What to do next: the static field " + staticField(path) + " keeps these connections after they closed: "
                    + "remove the connection's entry in channelInactive(), which every close path (a polite close, a "
                    + "reset, an idle timeout) goes through, or hold it by a weak reference.";
        }
        if (path.toLowerCase(Locale.ROOT).contains("listener") || path.contains("callback")) {
            return "What to do next: a listener or callback registered per connection is never removed: unregister it "
                    + "in channelInactive().";
        }
        return GENERAL;
    }

    /**
     * Advice from a signature: whose code holds the objects (the test's, a library's, the user's),
     * and how many were left ({@code leaked}) against how many a thread could keep one each
     * ({@code threadsThatCouldKeepOne}).
     */
    static String forSignature(LeakTraces.Signature signature, String testClass, long leaked,
            long threadsThatCouldKeepOne, Side side) {
        if (signature != null && signature.collection() != null) {
            return withCollection(signature, testClass, leaked, threadsThatCouldKeepOne, side);
        }
        return forPathOf(signature, testClass, leaked, threadsThatCouldKeepOne, side);
    }

    /**
     * Led by the growing collection the objects are entries of: its name, what it holds, its owner;
     * then the advice of its pattern, or, for the test's own collection and a hosted server's plain
     * collection, the advice of the path (clear it after each test; remove the entry in channelInactive()).
     */
    private static String withCollection(LeakTraces.Signature signature, String testClass, long leaked,
            long threadsThatCouldKeepOne, Side side) {
        GrowingCollection c = signature.collection();
        String unit = side == Side.CLIENT ? "use" : "connection";
        String owner = Culprit.owner(c, testClass);
        String lead = "The growing collection: " + Culprit.name(c) + ". " + Culprit.holds(c, unit, unit + "s", 0)
                + (owner.isEmpty() ? "" : " " + owner);
        Culprit.Kind kind = Culprit.kind(c);
        String advice;
        if (Culprit.ownedByTest(c, testClass) || (side == Side.SERVER
                && (kind == Culprit.Kind.SCHEDULED_TASK || kind == Culprit.Kind.THREAD_LOCAL))) {
            advice = forPathOf(signature, testClass, leaked, threadsThatCouldKeepOne, side);
        } else if (Culprit.saysMore(c, testClass) && !(side == Side.SERVER && !Culprit.fromDependency(c, testClass)
                && (kind == Culprit.Kind.REGISTRY || kind == Culprit.Kind.KEPT_AFTER_CLOSE))) {
            advice = Culprit.advice(c, testClass, unit);
        } else {
            advice = keptAfterClose(c.fieldName().isEmpty() ? Culprit.name(c)
                    : (c.staticField() ? "the static field " : "") + c.fieldName(), side);
        }
        return lead + "\n  " + advice;
    }

    /**
     * A collection of the project's own that keeps what closed connections used: remove the entry
     * where the side learns of the close (channelInactive() in a hosted pipeline, the serving code's
     * finally block in a server of its own, the client's close()).
     */
    private static String keptAfterClose(String field, Side side) {
        return switch (side) {
            case SERVER -> "What to do next: " + field + " keeps these connections after they closed: remove the "
                    + "connection's entry in channelInactive(), which every close path (a polite close, a reset, an idle "
                    + "timeout) goes through, or hold it by a weak reference.";
            case OWN_SERVER -> "What to do next: " + field + " keeps what the server used for connections that closed: "
                    + "remove the connection's entry where the server learns that it ended (in the finally block of the "
                    + "code serving it, or its close callback), or hold it by a weak reference.";
            case CLIENT -> "What to do next: " + field + " keeps these objects after the client closed them (a registry, "
                    + "a close hook, a listener list): remove them when the client closes, in its close(), or hold them by "
                    + "a weak reference.";
        };
    }

    private static String forPathOf(LeakTraces.Signature signature, String testClass, long leaked,
            long threadsThatCouldKeepOne, Side side) {
        if (signature == null) {
            return side == Side.SERVER ? GENERAL : CLIENT_GENERAL;
        }
        String path = signature.path();
        if (path.contains("threadLocals") && leaked > threadsThatCouldKeepOne) {
            return "What to do next: a ThreadLocal on a long-lived thread holds a collection that gains an entry per "
                    + (side == Side.SERVER ? "connection" : "use") + " (" + leaked + " left behind, more than its "
                    + threadsThatCouldKeepOne + " threads could hold one each): remove the entries when the work is "
                    + "done, or keep per-connection state in a channel attribute.";
        }
        String holder = signature.holder();
        // The test's own field, static or on the test instance; a task or handler the test declares
        // inside its class is the code under test, and gets that code's advice.
        boolean testsOwnField = path.startsWith("static ") || holder.equals(testClass);
        if (!holder.isEmpty() && testsOwnField && ClassNames.topLevel(holder).equals(ClassNames.topLevel(testClass))) {
            return "What to do next: the test itself keeps these objects: " + ClassNames.readable(holder)
                    + (path.startsWith("static ") ? "'s static field " + staticField(path) : "")
                    + " still references them. Clear it after each test (@AfterEach), or do not keep them in the test.";
        }
        if (!holder.isEmpty() && isLibrary(holder, testClass) && !isScheduledTask(path) && !path.contains("threadLocals")
                && !holder.endsWith("Thread")) {
            return "What to do next: the library class " + ClassNames.readable(holder) + " (" + packageOf(holder)
                    + ") keeps these objects after they were closed: close or dispose what the test created with "
                    + "the library (a client, a connection pool, an event loop group) the way its documentation says. "
                    + "If the library keeps them by design and bounds them, accept the reference with acceptedLeaks = \""
                    + (signature.rootReference().isEmpty() ? holder + "#<field>" : signature.rootReference()) + "\".";
        }
        if (side == Side.SERVER) {
            return forPath(path);
        }
        if (side == Side.OWN_SERVER) {
            return "What to do next: " + (path.startsWith("static ") ? "the static field " + staticField(path)
                    : ClassNames.readable(holder)) + " keeps what the server used for connections that closed: remove "
                    + "the connection's entry where the server learns that it ended (in the finally block of the code "
                    + "serving it, or its close callback), or hold it by a weak reference.";
        }
        if (isScheduledTask(path)) {
            return "What to do next: a scheduled task still references the client's objects after it closed: keep its "
                    + "ScheduledFuture and cancel it when the client closes.";
        }
        return "What to do next: " + (path.startsWith("static ") ? "the static field " + staticField(path)
                : ClassNames.readable(holder)) + " keeps these objects after the client closed them (a registry, a "
                + "close hook, a listener list): remove them when the client closes, in its close(), or hold them by a "
                + "weak reference.";
    }

    /** Advice for client objects held by some path, {@link Side#CLIENT}. */
    static String forClientSignature(LeakTraces.Signature signature, String testClass) {
        return forSignature(signature, testClass, 0, Long.MAX_VALUE, Side.CLIENT);
    }

    static final String CLIENT_GENERAL = "What to do next: something long-lived still references the client's objects "
            + "after it closed: a registry, a close hook or listener that is never removed, a scheduled task, a cache. "
            + "Release them when the client closes.";

    private static boolean isScheduledTask(String path) {
        return path.contains("scheduledTaskQueue") || path.contains("ScheduledFutureTask") || path.contains("ScheduledThreadPool");
    }

    private static String staticField(String path) {
        return path.split(" -> ")[0].substring("static ".length()).replace("[]", "");
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** A library's class: not the JDK's and not in the test's top two packages (the user's code). */
    static boolean isLibrary(String className, String testClass) {
        return !ClassNames.isUserClass(className, testClass) && !ClassNames.isJdkClass(className);
    }
}
