package dev.leakproof.internal.trace;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.leakproof.internal.tracking.TrackedObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A live heap dump of this JVM, taken so that the analysis finds the verdict's survivors at once:
 * while it dumps, their weak references sit in one static field, {@link #SUSPECTS_FIELD}, which the
 * analysis reads instead of scanning every instance.
 *
 * <p>A dump holds everything the test JVM held, the fixture's private key included: it is written
 * into a directory only its owner can enter (0700), readable by its owner only (0600), and never
 * outside that directory, whatever the test class is called.
 *
 * <pre>{@code
 * Path dump = HeapDump.take(survivors, "com.example.ChatServerLeakTests");
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HeapDump {

    static final Path DIRECTORY = Path.of("target", "leak-reports", "heap-dumps");
    /** The static field holding the suspects while the heap is dumped. */
    static final String SUSPECTS_FIELD = "suspects";
    private static final AtomicInteger DUMPS = new AtomicInteger();
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** Anything but these characters in a test class's name becomes '_' in the dump's file name. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._$-]|^\\.");
    private static final int MAX_NAME_LENGTH = 150;

    /**
     * This verdict's survivors while the heap is dumped. The array holds the tracker's weak
     * references, not the survivors: it adds no strong path.
     */
    private static volatile TrackedObject[] suspects;

    private HeapDump() {
    }

    /** Dumps the live heap into the dump directory, readable by its owner only. */
    public static Path take(List<TrackedObject> survivors, String testClass) throws IOException {
        Path directory = ownerOnlyDirectory();
        // The pid and a counter make the name unique; the class name is only there for people.
        Path dump = directory.resolve(safeName(testClass) + "-" + ProcessHandle.current().pid() + "-"
                + DUMPS.incrementAndGet() + ".hprof");
        if (!dump.toAbsolutePath().normalize().getParent().equals(directory.toAbsolutePath().normalize())) {
            throw new IOException("the heap dump " + dump + " would leave " + directory);
        }
        Files.deleteIfExists(dump);
        synchronized (HeapDump.class) {
            suspects = survivors.toArray(TrackedObject[]::new);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
            } catch (IOException | RuntimeException e) {
                // A dump cut short (a full disk) still holds part of the heap: nothing is kept of it.
                Files.deleteIfExists(dump);
                throw e;
            } finally {
                suspects = null;
            }
        }
        try {
            Files.setPosixFilePermissions(dump, OWNER_ONLY_FILE);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
        return dump;
    }

    /**
     * The dump directory, made (or, as earlier versions left it with the default permissions, made
     * again) so that only its owner can enter it. The JVM writes the dump with the default
     * permissions before they can be narrowed to 0600: inside this directory nobody else can reach
     * it in between.
     */
    private static Path ownerOnlyDirectory() throws IOException {
        Files.createDirectories(DIRECTORY.getParent());
        boolean posix = DIRECTORY.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectory(DIRECTORY, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectory(DIRECTORY);
            }
        } catch (FileAlreadyExistsException e) {
            // made by an earlier run: checked below like a new one
        }
        if (!Files.isDirectory(DIRECTORY, LinkOption.NOFOLLOW_LINKS)) {
            // A link could send the dump anywhere, e.g. into a directory others can read.
            throw new IOException(DIRECTORY + " is not a directory of its own (a link or a file): no heap dump written");
        }
        if (posix) {
            // umask may have narrowed less than asked, and an earlier version made it 0755.
            Files.setPosixFilePermissions(DIRECTORY, OWNER_ONLY_DIRECTORY);
        }
        return DIRECTORY;
    }

    /** {@code testClass} with every character but {@code A-Z a-z 0-9 . _ $ -} replaced, and no leading dot. */
    private static String safeName(String testClass) {
        String safe = UNSAFE.matcher(testClass).replaceAll("_");
        safe = safe.length() > MAX_NAME_LENGTH ? safe.substring(0, MAX_NAME_LENGTH) : safe;
        return safe.isEmpty() ? "_" : safe;
    }
}
