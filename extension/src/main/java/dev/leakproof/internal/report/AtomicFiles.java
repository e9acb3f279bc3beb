package dev.leakproof.internal.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report file so that a reader sees it whole or not at all: the text goes to a temporary
 * file in the same directory, which is then moved over the target in one step. Test JVMs of other
 * forks and Maven modules read the report directory (for the run's index) while this one writes.
 *
 * <pre>{@code
 * AtomicFiles.write(directory.resolve("index.html"), html);
 * }</pre>
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    static void write(Path target, String text) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        // A name the index never reads (it reads *.json), unique per writer.
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
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
