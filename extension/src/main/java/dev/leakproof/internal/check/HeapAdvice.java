package dev.leakproof.internal.check;

import java.util.Locale;

/**
 * What to do next about objects that survived, told from the path that holds them when there is
 * one: a scheduled task, a ThreadLocal, a static field, a listener.
 *
 * <pre>{@code
 * String advice = HeapAdvice.forPath("static OnlineUsers.ONLINE[] -> PresenceSession");
 * }</pre>
 */
final class HeapAdvice {

    static final String GENERAL = "What to do next: something long-lived still references these objects after "
            + "the connection closed: a static collection or registry, a listener or callback that is never removed, "
            + "a scheduled task that is never cancelled, a ThreadLocal, or a cache keyed by connection. Remove the "
            + "reference in channelInactive() or handlerRemoved(), and cancel per-connection tasks there.";

    private HeapAdvice() {
    }

    static String forPath(String path) {
        if (path == null) {
            return GENERAL;
        }
        if (path.contains("scheduledTaskQueue") || path.contains("ScheduledFutureTask") || path.contains("ScheduledThreadPool")) {
            return "What to do next: a scheduled task still references the connection after it closed (a heartbeat, "
                    + "a timeout): keep its ScheduledFuture and cancel it in channelInactive() or handlerRemoved().";
        }
        if (path.contains("threadLocals")) {
            return "What to do next: a ThreadLocal on a long-lived thread (the event loop) keeps the last connection: "
                    + "remove() it when the work is done, or keep per-connection state in a channel attribute.";
        }
        if (path.startsWith("static ")) {
            String field = path.split(" -> ")[0].substring("static ".length()).replace("[]", "");
            return "What to do next: the static field " + field + " keeps these connections after they closed: "
                    + "remove the connection's entry in channelInactive(), which every close path (a polite close, a "
                    + "reset, an idle timeout) goes through, or hold it by a weak reference.";
        }
        if (path.toLowerCase(Locale.ROOT).contains("listener") || path.contains("callback")) {
            return "What to do next: a listener or callback registered per connection is never removed: unregister it "
                    + "in channelInactive().";
        }
        return GENERAL;
    }
}
