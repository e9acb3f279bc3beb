package dev.leakproof.internal.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a report file so that a reader sees it whole or not at all: the text goes to a temporary
 * file in the same directory, which is then moved over the target in one step. Test JVMs of other
 * forks and Maven modules read the report directory (for the run's index) while this one writes.
 *
 * <p>Reports are {@code 0644}, like Surefire's own reports under the usual umask: a CI step that
 * uploads them as an artifact, or a browser or web server under another user, must read them, and
 * they hold nothing the test's own output does not (class names, counts, the paths that keep a
 * leak). The temporary file would otherwise keep {@code createTempFile}'s {@code 0600}. Heap dumps,
 * which hold the whole heap's data, are not written here and stay {@code 0600}.
 *
 * <pre>{@code
 * AtomicFiles.write(directory.resolve("index.html"), html);
 * }</pre>
 */
final class AtomicFiles {

    /** {@code rw-r--r--}: the owner writes, everyone reads. */
    static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    static void write(Path target, String text) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        // A name the index never reads (it reads *.json), unique per writer.
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // Set before the move, so the report is never seen with other permissions.
                Files.setPosixFilePermissions(temp, READABLE_BY_ALL);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // A file system without atomic renames: still whole once written, just not at one instant.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
