package dev.leakproof.internal.check;

import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.os.SocketTable;
import dev.leakproof.internal.os.ThreadSnapshot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The span of work one verdict judges (one test, or the class's own activity): when the verdict
 * started, how many connections opened in it, and what the JVM held when it began.
 *
 * <pre>{@code
 * Window window = new Window("loginAndQuit()", session, baseline);
 * List<Finding> findings = new OpenConnectionsCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Window {

    /**
     * What the JVM held when the window began: new descriptors and threads are the window's. The
     * TCP connections open then (taken where a server of the test's is judged) are not the window's
     * either: a socket an earlier test left in {@code CLOSE_WAIT} is that test's. {@code leftOpen}
     * is shared along the class's windows: the descriptors a verdict reported as left open (as
     * {@code "fd target"}), so that a later window can say it saw them and did not count them.
     */
    public record Baseline(FileDescriptors descriptors, ThreadSnapshot threads, SocketTable connections,
            Set<String> leftOpen) {

        /** The first window's baseline. */
        public static Baseline take() {
            return new Baseline(FileDescriptors.snapshot(), ThreadSnapshot.take(), SocketTable.empty(),
                    ConcurrentHashMap.newKeySet());
        }

        /**
         * The next window's baseline, taken now; with the TCP table when {@code withConnections}
         * (a {@code @TargetServer}'s connections are judged from it). What earlier verdicts reported
         * left open is carried on, as long as it is still open.
         */
        public Baseline next(boolean withConnections) {
            FileDescriptors now = FileDescriptors.snapshot();
            leftOpen.retainAll(now.described());
            return new Baseline(now, ThreadSnapshot.take(), withConnections ? SocketTable.tcp() : SocketTable.empty(),
                    leftOpen);
        }

        /**
         * A test's baseline: like {@link #next}, but the TCP table taken when the previous verdict ended
         * serves again (no test ran since; a read of the kernel's tables walks its whole hash table,
         * 4 to 14 ms on a loaded 2-core machine).
         */
        public Baseline atTestStart(boolean withConnections) {
            Baseline next = next(withConnections && !connections.known());
            return connections.known() && withConnections
                    ? new Baseline(next.descriptors(), next.threads(), connections, leftOpen) : next;
        }
    }

    private final String name;
    private final ClassSession session;
    private final Baseline baseline;
    private final long startNanos = System.nanoTime();
    private final long connections;
    private final long forcedGcsAtStart = dev.leakproof.internal.gc.GcForcer.forced();
    private long openAfterSettling = -1;

    public Window(String name, ClassSession session, Baseline baseline) {
        this.name = name;
        this.session = session;
        this.baseline = baseline;
        // The fixture's connections, and those a server the test started served with the fixture's keys.
        this.connections = session.tracker().connectionsInWindow()
                + session.tracker().handshakesInWindow(dev.leakproof.internal.tracking.TrackedObject.TlsPeer.SERVER);
    }

    /** The test's display name, or what the class-level window judges. */
    public String name() {
        return name;
    }

    public ClassSession session() {
        return session;
    }

    public Baseline baseline() {
        return baseline;
    }

    /** When the verdict started ({@link System#nanoTime()}). */
    public long startNanos() {
        return startNanos;
    }

    /** Full GCs forced before the verdict started: a check that needs one can reuse a later one. */
    public long forcedGcsAtStart() {
        return forcedGcsAtStart;
    }

    /** Connections opened in the window. */
    public long connections() {
        return connections;
    }

    /**
     * Connections open at the fixture server once the open-connection check let them settle (it
     * runs first): the same number for every later check of the verdict.
     */
    public long openConnections() {
        if (openAfterSettling < 0) {
            openAfterSettling = session.server().counts().open();
        }
        return openAfterSettling;
    }
}
