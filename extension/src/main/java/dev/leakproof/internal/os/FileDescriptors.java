package dev.leakproof.internal.os;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apiguardian.api.API;

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
@API(status = API.Status.INTERNAL, since = "0.1")
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
        return newByKind(before, Set.of());
    }

    /** Like {@link #newByKind(FileDescriptors)}, leaving out the targets in {@code heldRightly}. */
    public Map<String, Long> newByKind(FileDescriptors before, Set<String> heldRightly) {
        Map<String, Long> kinds = new TreeMap<>();
        added(before, heldRightly).forEach(e -> kinds.merge(kind(e.getValue()), 1L, Long::sum));
        return kinds;
    }

    /**
     * The descriptors open now that were not open (to the same target) in {@code before}, but the
     * targets in {@code heldRightly}, by descriptor number.
     */
    public SortedMap<Integer, String> newSince(FileDescriptors before, Set<String> heldRightly) {
        SortedMap<Integer, String> added = new TreeMap<>();
        added(before, heldRightly).forEach(e -> added.put(e.getKey(), e.getValue()));
        return added;
    }

    /** Each open descriptor as {@code "41 socket:[123]"}: the same descriptor, should a later snapshot find it again. */
    public Set<String> described() {
        Set<String> described = new HashSet<>();
        targets.forEach((fd, target) -> described.add(describe(fd, target)));
        return described;
    }

    /** One descriptor as {@link #described()} names it. */
    public static String describe(int fd, String target) {
        return fd + " " + target;
    }

    /** Whether each descriptor's target is known ({@code /proc/self/fd}), not only the count. */
    public boolean listed() {
        return !targets.isEmpty();
    }

    private java.util.stream.Stream<Map.Entry<Integer, String>> added(FileDescriptors before, Set<String> heldRightly) {
        return targets.entrySet().stream().filter(e -> !e.getValue().equals(before.targets.get(e.getKey()))
                && !heldRightly.contains(e.getValue()) && !isOwnListing(e.getValue()));
    }

    /** The descriptor of the {@code /proc/self/fd} listing itself, open while it is read. */
    private static boolean isOwnListing(String target) {
        return target.equals(OWN_LISTING) || target.equals(PROC_FD.toString());
    }

    private static final String OWN_LISTING = "/proc/" + ProcessHandle.current().pid() + "/fd";

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
