package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import shark.RandomAccessSource;

/** The memory-mapped reader Shark reads heap dumps through: the same bytes as the file, at any position. */
class MappedHprofFileTests {

    private static final int CHUNK = 4096;

    @TempDir
    Path directory;

    @Test
    void readsTheFileBytesAtAnyPositionAcrossChunkBoundaries() throws IOException {
        byte[] content = randomBytes(3 * CHUNK + 123);
        Path file = Files.write(directory.resolve("dump.hprof"), content);
        try (RandomAccessSource source = new MappedHprofFile(file, CHUNK).openRandomAccessSource()) {
            long[][] reads = {{0, 10}, {CHUNK - 5, 20}, {CHUNK, CHUNK}, {2L * CHUNK - 1, CHUNK + 2},
                {content.length - 7, 7}};
            for (long[] read : reads) {
                assertThat(readFully(source, read[0], (int) read[1]))
                        .as("%d bytes at %d", read[1], read[0])
                        .isEqualTo(java.util.Arrays.copyOfRange(content, (int) read[0], (int) (read[0] + read[1])));
            }
        }
    }

    @Test
    void oneReadStopsAtTheEndOfItsChunkAndAtTheEndOfTheFile() throws IOException {
        Path file = Files.write(directory.resolve("dump.hprof"), randomBytes(CHUNK + 100));
        try (RandomAccessSource source = new MappedHprofFile(file, CHUNK).openRandomAccessSource()) {
            assertThat(source.read(new Buffer(), CHUNK - 10, 50)).isEqualTo(10);
            assertThat(source.read(new Buffer(), CHUNK + 90, 50)).isEqualTo(10);
            assertThat(source.read(new Buffer(), CHUNK + 100, 50)).isZero();
        }
    }

    @Test
    void streamsTheWholeFile() throws IOException {
        byte[] content = randomBytes(2 * CHUNK + 1);
        Path file = Files.write(directory.resolve("dump.hprof"), content);
        MappedHprofFile hprof = new MappedHprofFile(file, CHUNK);
        try (BufferedSource streaming = hprof.openStreamingSource()) {
            assertThat(streaming.readByteArray()).isEqualTo(content);
        }
        try (RandomAccessSource source = hprof.openRandomAccessSource();
                BufferedSource streaming = source.asStreamingSource()) {
            assertThat(streaming.readByteArray()).isEqualTo(content);
        }
    }

    @Test
    void aClosedSourceRefusesToReadAndTheFileCanBeDeleted() throws IOException {
        Path file = Files.write(directory.resolve("dump.hprof"), randomBytes(CHUNK));
        RandomAccessSource source = new MappedHprofFile(file, CHUNK).openRandomAccessSource();
        source.close();
        source.close();
        assertThatThrownBy(() -> source.read(new Buffer(), 0, 10))
                .isInstanceOf(IOException.class)
                .hasMessage("heap dump source closed");
        Files.delete(file);
        assertThat(file).doesNotExist();
    }

    private static byte[] readFully(RandomAccessSource source, long position, int length) throws IOException {
        Buffer sink = new Buffer();
        long done = 0;
        while (done < length) {
            long read = source.read(sink, position + done, length - done);
            assertThat(read).as("bytes read at %d", position + done).isPositive();
            done += read;
        }
        return sink.readByteArray();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
