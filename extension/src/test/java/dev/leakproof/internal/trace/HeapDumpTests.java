package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A heap dump holds everything the test JVM held, key material included: only its owner may read it. */
class HeapDumpTests {

    @Test
    void aDumpIsReadableByItsOwnerOnlyInADirectoryOnlyItsOwnerCanEnter() throws IOException {
        Files.createDirectories(HeapDump.DIRECTORY);
        // As earlier versions left the directory: the default permissions, open to everyone.
        Files.setPosixFilePermissions(HeapDump.DIRECTORY, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dump = HeapDump.take(List.of(), "com.example.HeapDumpTests");
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(HeapDump.DIRECTORY)))
                    .as("permissions of %s", HeapDump.DIRECTORY).isEqualTo("rwx------");
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    void aHostileTestNameCannotPutTheDumpOutsideItsDirectory() throws IOException {
        Path dump = HeapDump.take(List.of(), "../../../escaped/..\\evil\u0000name");
        try {
            assertThat(dump.toAbsolutePath().normalize().getParent())
                    .isEqualTo(HeapDump.DIRECTORY.toAbsolutePath().normalize());
            assertThat(dump.getFileName().toString()).matches("[A-Za-z0-9_$-][A-Za-z0-9._$-]*\\.hprof");
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
