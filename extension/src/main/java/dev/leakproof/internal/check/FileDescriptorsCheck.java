package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * File descriptors opened during the window and still open once every connection closed. Runs
 * before any GC of the verdict: a GC would close unreachable streams and hide the leak.
 *
 * <pre>{@code
 * List<Finding> findings = new FileDescriptorsCheck().run(window);
 * }</pre>
 */
public final class FileDescriptorsCheck implements Check {

    /** New descriptors below this many are noise (a jar opened for class loading, a selector). */
    private static final long MIN_LEAKED = 10;

    /**
     * How long the count of new descriptors must stay the same before it is a finding. The server
     * has seen every connection close, but the driver's side of an aborted handshake may still be
     * closing on its loaded event loop: 24 client sockets were still open in one run of a clean
     * suite (Parallel GC, another build on the two cores). Closes in flight bring the count down;
     * a leak keeps it. A count under the threshold needs no wait.
     */
    private static final Duration SETTLED = Duration.ofMillis(500);

    /**
     * The descriptors of an event loop's selector on Linux (an epoll instance, its wake-up eventfd,
     * or a pipe on older JDKs): a library's global loops open a constant set of them once.
     */
    private static final Set<String> EVENT_LOOP_KINDS = Set.of("eventpoll", "eventfd", "pipe");

    /**
     * What the event loops a few libraries start once can hold: two descriptors per loop, loops up to
     * the thread pool bound, for two libraries (a client and a framework). Reactor Netty started 13-14
     * on first use on 2 cores. Past this, or past one per two connections, they grow.
     */
    private static final long EVENT_LOOP_BOUND = 4L * Threads.POOL_BOUND;

    @Override
    public List<Finding> run(Window window) {
        FileDescriptors before = window.baseline().descriptors();
        if (!before.known()) {
            return List.of();
        }
        long connections = window.connections();
        long threshold = Math.max(MIN_LEAKED, connections / 100);
        Snapshot first = Snapshot.take(window, before);
        Snapshot last = first.added() < threshold ? first : Waits.untilQuiet(() -> Snapshot.take(window, before),
                SETTLED, window.session().settings().get(Settings.GRACE_PERIOD), Duration.ofMillis(50));
        if (last.added() < threshold) {
            return List.of();
        }
        long eventLoops = EVENT_LOOP_KINDS.stream().mapToLong(k -> last.byKind().getOrDefault(k, 0L)).sum();
        boolean eventLoopsGrow = eventLoops >= Math.max(Math.max(threshold, connections / 2), EVENT_LOOP_BOUND);
        if (last.added() - eventLoops < threshold && !eventLoopsGrow) {
            return List.of(Finding.note(Finding.Kind.FILE_DESCRIPTORS, eventLoops + " descriptors of event loops ("
                    + Counts.counted(last.byKind()) + ") opened during the test are still open, fewer than "
                    + Math.max(connections / 2, EVENT_LOOP_BOUND) + ": the selectors of event loops a library started "
                    + "once (a client's or framework's global loops), not a leak; a run's growth per connection judges "
                    + "whether they grow"));
        }
        return List.of(Finding.leak(Finding.Kind.FILE_DESCRIPTORS, message(last.added(), connections, last.open(),
                last.byKind(), last.now().newExamples(before, last.heldRightly(), 3)), 0, Map.of()));
    }

    /** The descriptors opened since {@code before}, but the sockets of connections still open. */
    private record Snapshot(FileDescriptors now, long open, Set<String> heldRightly, Map<String, Long> byKind,
            long added) {

        static Snapshot take(Window window, FileDescriptors before) {
            FileDescriptors now = FileDescriptors.snapshot();
            long open = window.openConnections();
            // The sockets of connections still open (allowed idle ones, or ones already reported) are theirs by right.
            Set<String> heldRightly = new java.util.HashSet<>(open == 0 ? Set.of()
                    : ConnectionSockets.ofPort(window.session().server().port()));
            // The sockets of connections the extension made itself (its protocol probe) are not the test's.
            window.session().reportedOpen().forEach(peer -> heldRightly.addAll(ConnectionSockets.ofPort(peer.getPort())));
            Map<String, Long> byKind = now.newByKind(before, heldRightly);
            long added = now.listed() ? byKind.values().stream().mapToLong(Long::longValue).sum()
                    : now.count() - before.count() - 2L * open;
            return new Snapshot(now, open, heldRightly, byKind, added);
        }

        /** Equal when the same number of the same kinds are new: what "settled" compares. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Snapshot s && s.added == added && s.byKind.equals(byKind);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(added) * 31 + byKind.hashCode();
        }
    }

    static String message(long leaked, long connections, long open, Map<String, Long> byKind,
            Map<Integer, String> examples) {
        return leaked + " file descriptors opened during the test are still open "
                + (open == 0 ? "after every connection closed" : "besides the sockets of the " + open
                        + (open == 1 ? " connection" : " connections") + " still open") + " ("
                + connections + " connections; counted before any GC, because a GC would close unreachable streams and "
                + "hide the leak): " + Counts.counted(byKind)
                + ". For example: " + examples.entrySet().stream().map(e -> "fd " + e.getKey() + " -> " + e.getValue())
                        .collect(Collectors.joining(", ")) + "."
                + "\n  What to do next: close what each connection opens (files, sockets to back ends, pipes) in "
                + "channelInactive(), or open it with try-with-resources; do not leave it to the garbage collector.";
    }
}
