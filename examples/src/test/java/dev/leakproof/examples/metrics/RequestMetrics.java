package dev.leakproof.examples.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's request counters, one per tag, for its metrics endpoint: a process-wide registry,
 * as a metrics library keeps one. A counter is made on a tag's first use and kept for as long as
 * the process runs, since a scrape expects to see it again.
 *
 * <pre>{@code
 * RequestMetrics.count("/orders/{id}");
 * long orders = RequestMetrics.requests("/orders/{id}");
 * }</pre>
 */
public final class RequestMetrics {

    /** Requests served, by tag. */
    static final Map<String, LongAdder> REQUESTS_BY_TAG = new ConcurrentHashMap<>();

    private RequestMetrics() {
    }

    /** Counts one request under {@code tag}. */
    public static void count(String tag) {
        REQUESTS_BY_TAG.computeIfAbsent(tag, t -> new LongAdder()).increment();
    }

    /** Requests counted under {@code tag} so far. */
    public static long requests(String tag) {
        LongAdder counter = REQUESTS_BY_TAG.get(tag);
        return counter == null ? 0 : counter.sum();
    }

    /** Forgets every counter, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void clear() {
        REQUESTS_BY_TAG.clear();
    }
}
