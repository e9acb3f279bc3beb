package dev.leakproof.internal.os;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JVM's open file descriptors: on Linux each one with what it is ({@code /proc/self/fd}: a
 * socket, a pipe, a file's path), elsewhere the count from {@code UnixOperatingSystemMXBean}.
 *
 * <pre>{@code
 * FileDescriptors before = FileDescriptors.snapshot();
 * // ... the test ...
 * Map<String, Long> opened = FileDescriptors.snapshot().newByKind(before); // {socket=3}
 * }</pre>
 */
public final class FileDescriptors {

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private final long count;
    private final Map<Integer, String> targets; // empty where /proc is not available

    private FileDescriptors(long count, Map<Integer, String> targets) {
        this.count = count;
        this.targets = targets;
    }

    public static FileDescriptors snapshot() {
        Map<Integer, String> targets = new HashMap<>();
        if (Files.isDirectory(PROC_FD)) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FD)) {
                for (Path fd : fds) {
                    try {
                        targets.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
                    } catch (IOException | NumberFormatException e) {
                        // closed while listing (the listing's own descriptor, for one)
                    }
                }
                return new FileDescriptors(targets.size(), targets);
            } catch (IOException e) {
                // fall back to the count below
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long count = os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        return new FileDescriptors(count, Map.of());
    }

    public long count() {
        return count;
    }

    public boolean known() {
        return count >= 0;
    }

    /** Descriptors open now that were not open (to the same target) in {@code before}, by kind. */
    public Map<String, Long> newByKind(FileDescriptors before) {
        Map<String, Long> kinds = new TreeMap<>();
        targets.forEach((fd, target) -> {
            if (!target.equals(before.targets.get(fd))) {
                kinds.merge(kind(target), 1L, Long::sum);
            }
        });
        return kinds;
    }

    /** A few of the new descriptors' targets, for a person to recognise. */
    public Map<Integer, String> newExamples(FileDescriptors before, int max) {
        Map<Integer, String> examples = new LinkedHashMap<>();
        targets.entrySet().stream().filter(e -> !e.getValue().equals(before.targets.get(e.getKey())))
                .sorted(Map.Entry.comparingByKey()).limit(max).forEach(e -> examples.put(e.getKey(), e.getValue()));
        return examples;
    }

    /** {@code socket:[123]} is a socket, {@code pipe:[9]} a pipe, {@code /tmp/a.log} a file (named by directory). */
    public static String kind(String target) {
        if (target.startsWith("socket:")) {
            return "socket";
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        if (target.startsWith("anon_inode:")) {
            return target.substring("anon_inode:".length()).replace("[", "").replace("]", "");
        }
        Path parent = Path.of(target).getParent();
        return "file in " + (parent == null ? "/" : parent.toString());
    }
}
