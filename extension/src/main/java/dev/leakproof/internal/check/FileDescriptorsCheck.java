package dev.leakproof.internal.check;

import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.text.Counts;
import java.util.List;
import java.util.Map;
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

    @Override
    public List<Finding> run(Window window) {
        FileDescriptors before = window.baseline().descriptors();
        FileDescriptors now = FileDescriptors.snapshot();
        long connections = window.connections();
        long added = now.count() - before.count() - 2L * window.openConnections();
        if (!before.known() || added < Math.max(MIN_LEAKED, connections / 100)) {
            return List.of();
        }
        Map<String, Long> byKind = now.newByKind(before);
        return List.of(Finding.leak(Finding.Kind.FILE_DESCRIPTORS,
                message(added, connections, byKind, now.newExamples(before, 3)), 0, Map.of()));
    }

    static String message(long leaked, long connections, Map<String, Long> byKind, Map<Integer, String> examples) {
        return leaked + " file descriptors opened during the test are still open after every connection closed ("
                + connections + " connections; counted before any GC, because a GC would close unreachable streams and "
                + "hide the leak): " + Counts.counted(byKind)
                + ". For example: " + examples.entrySet().stream().map(e -> "fd " + e.getKey() + " -> " + e.getValue())
                        .collect(Collectors.joining(", ")) + "."
                + "\n  What to do next: close what each connection opens (files, sockets to back ends, pipes) in "
                + "channelInactive(), or open it with try-with-resources; do not leave it to the garbage collector.";
    }
}
