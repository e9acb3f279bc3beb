package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.os.SocketTable;
import dev.leakproof.internal.text.Counts;
import dev.leakproof.internal.wait.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * File descriptors opened during the window and still open once every connection closed. Runs
 * before any GC of the verdict: a GC would close unreachable streams and hide the leak.
 *
 * <pre>{@code
 * List<Finding> findings = new FileDescriptorsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
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
        List<Finding> findings = new ArrayList<>(leftByEarlierTests(window, last.now()));
        if (last.added() < threshold) {
            return findings;
        }
        Map<String, Long> eventLoopKinds = new TreeMap<>(last.byKind());
        eventLoopKinds.keySet().retainAll(EVENT_LOOP_KINDS);
        long eventLoops = eventLoopKinds.values().stream().mapToLong(Long::longValue).sum();
        long bound = Math.max(connections / 2, EVENT_LOOP_BOUND);
        boolean eventLoopsGrow = eventLoops >= Math.max(threshold, bound);
        if (eventLoops > 0 && !eventLoopsGrow) {
            findings.add(Finding.note(Finding.Kind.FILE_DESCRIPTORS, eventLoops + " descriptors opened once by a library "
                    + "(event loop: " + Counts.counted(eventLoopKinds) + "), not per connection: descriptors of event "
                    + "loops opened during the test and still open, fewer than " + bound + ", the selectors of loops a "
                    + "client or framework started once; not a leak, and not counted; a run's growth per connection "
                    + "judges whether they grow"));
        }
        long leaked = last.added() - (eventLoopsGrow ? 0 : eventLoops);
        if (leaked < threshold) {
            return findings;
        }
        if (!last.now().listed()) {
            findings.add(Finding.leak(Finding.Kind.FILE_DESCRIPTORS,
                    LeftOpenDescriptors.countOnly(leaked, connections, last.open()), 0, Map.of()));
            return findings;
        }
        SortedMap<Integer, String> left = last.now().newSince(before, last.heldRightly());
        if (!eventLoopsGrow) {
            left.values().removeIf(t -> EVENT_LOOP_KINDS.contains(FileDescriptors.kind(t)));
        }
        // Reported once: a later window sees them in its baseline, and says it did not count them.
        left.forEach((fd, target) -> window.baseline().leftOpen().add(FileDescriptors.describe(fd, target)));
        findings.add(Finding.leak(Finding.Kind.FILE_DESCRIPTORS, LeftOpenDescriptors.message(left,
                left.values().stream().anyMatch(t -> t.startsWith("socket:")) ? SocketTable.all() : SocketTable.empty(),
                connections, last.open()), 0, Map.of()));
        return findings;
    }

    /**
     * The descriptors an earlier verdict of the class reported left open that are open still: in this
     * window's baseline, so not counted; said, so that nobody wonders where they went.
     */
    private static List<Finding> leftByEarlierTests(Window window, FileDescriptors now) {
        Set<String> seen = new HashSet<>(window.baseline().leftOpen());
        seen.retainAll(window.baseline().descriptors().described());
        seen.retainAll(now.described());
        if (seen.isEmpty()) {
            return List.of();
        }
        Map<String, Long> byKind = new TreeMap<>();
        seen.forEach(d -> byKind.merge(FileDescriptors.kind(d.substring(d.indexOf(' ') + 1)), 1L, Long::sum));
        return List.of(Finding.note(Finding.Kind.FILE_DESCRIPTORS, window.name() + ": " + seen.size() + " descriptors "
                + "left open by an earlier test (" + Counts.counted(byKind) + ", reported by its verdict) were seen and "
                + "not counted: they were open before this test began"));
    }

    /** The descriptors opened since {@code before}, but the sockets of connections still open. */
    private record Snapshot(FileDescriptors now, long open, Set<String> heldRightly, Map<String, Long> byKind,
            long added) {

        static Snapshot take(Window window, FileDescriptors before) {
            FileDescriptors now = FileDescriptors.snapshot();
            long open = window.openConnections();
            // The sockets of connections still open (allowed idle ones, or ones already reported) are theirs by right.
            Set<String> heldRightly = new HashSet<>(open == 0 ? Set.of()
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
}
