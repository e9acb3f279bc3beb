package dev.leakproof.internal.trace;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.leakproof.internal.tracking.TrackedObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live heap dump of this JVM, taken so that the analysis finds the verdict's survivors at once:
 * while it dumps, their weak references sit in one static field, {@link #SUSPECTS_FIELD}, which the
 * analysis reads instead of scanning every instance.
 *
 * <pre>{@code
 * Path dump = HeapDump.take(survivors, "com.example.ChatServerLeakTests");
 * }</pre>
 */
public final class HeapDump {

    static final Path DIRECTORY = Path.of("target", "leak-reports", "heap-dumps");
    /** The static field holding the suspects while the heap is dumped. */
    static final String SUSPECTS_FIELD = "suspects";
    private static final AtomicInteger DUMPS = new AtomicInteger();

    /**
     * This verdict's survivors while the heap is dumped. The array holds the tracker's weak
     * references, not the survivors: it adds no strong path.
     */
    private static volatile TrackedObject[] suspects;

    private HeapDump() {
    }

    /** Dumps the live heap into the dump directory, readable by its owner only. */
    public static Path take(List<TrackedObject> survivors, String testClass) throws IOException {
        Files.createDirectories(DIRECTORY);
        Path dump = DIRECTORY.resolve(testClass + "-" + ProcessHandle.current().pid() + "-"
                + DUMPS.incrementAndGet() + ".hprof");
        Files.deleteIfExists(dump);
        synchronized (HeapDump.class) {
            suspects = survivors.toArray(TrackedObject[]::new);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
            } finally {
                suspects = null;
            }
        }
        try {
            // A heap dump holds everything the test JVM held: readable by its owner only.
            Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
        return dump;
    }
}
