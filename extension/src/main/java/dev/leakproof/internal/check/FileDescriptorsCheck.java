package dev.leakproof.internal.check;

import dev.leakproof.internal.os.ConnectionSockets;
import dev.leakproof.internal.os.FileDescriptors;
import dev.leakproof.internal.text.Counts;
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

    @Override
    public List<Finding> run(Window window) {
        FileDescriptors before = window.baseline().descriptors();
        FileDescriptors now = FileDescriptors.snapshot();
        long connections = window.connections();
        long open = window.openConnections();
        // The sockets of connections still open (allowed idle ones, or ones already reported) are theirs by right.
        Set<String> heldRightly = open == 0 ? Set.of() : ConnectionSockets.ofPort(window.session().server().port());
        Map<String, Long> byKind = now.newByKind(before, heldRightly);
        long added = now.listed() ? byKind.values().stream().mapToLong(Long::longValue).sum()
                : now.count() - before.count() - 2L * open;
        if (!before.known() || added < Math.max(MIN_LEAKED, connections / 100)) {
            return List.of();
        }
        return List.of(Finding.leak(Finding.Kind.FILE_DESCRIPTORS,
                message(added, connections, open, byKind, now.newExamples(before, heldRightly, 3)), 0, Map.of()));
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
