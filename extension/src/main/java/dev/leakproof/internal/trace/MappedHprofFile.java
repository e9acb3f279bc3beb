package dev.leakproof.internal.trace;

import dev.leakproof.internal.hprof.FileMaps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import org.apiguardian.api.API;
import shark.DualSourceProvider;
import shark.RandomAccessSource;

/**
 * A heap dump read by Shark through memory maps instead of a {@code RandomAccessFile}.
 *
 * <p>Why: finding paths, Shark reads one record per object it visits, and its file source costs a
 * seek and a read system call per record; on a 256 MiB heap that is millions of system calls and
 * most of the path search. A read from a mapped file is a memory copy. The maps are released when
 * Shark closes the source, so the dump's disk space is freed when the file is deleted, not at some
 * later GC.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class MappedHprofFile implements DualSourceProvider {

    /** A map is at most 2 GiB; 1 GiB chunks keep the arithmetic in ints. */
    private static final int CHUNK = 1 << 30;

    private final Path file;
    private final int chunkBytes;

    public MappedHprofFile(Path file) {
        this(file, CHUNK);
    }

    /** With smaller chunks, so a test can read across their boundaries. */
    MappedHprofFile(Path file, int chunkBytes) {
        this.file = file;
        this.chunkBytes = chunkBytes;
    }

    @Override
    public BufferedSource openStreamingSource() {
        try {
            return Okio.buffer(Okio.source(Files.newInputStream(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RandomAccessSource openRandomAccessSource() {
        return new MappedSource(FileMaps.map(file, chunkBytes, 0), chunkBytes);
    }

    private static final class MappedSource implements RandomAccessSource {
        private final FileMaps maps;
        private final int chunkBytes;
        private boolean closed;

        MappedSource(FileMaps maps, int chunkBytes) {
            this.maps = maps;
            this.chunkBytes = chunkBytes;
        }

        @Override
        public long read(Buffer sink, long position, long byteCount) throws IOException {
            if (closed) {
                throw new IOException("heap dump source closed");
            }
            if (position < 0) {
                throw new IOException("negative position " + position);
            }
            int index = (int) (position / chunkBytes);
            if (index >= maps.chunks().size() || byteCount <= 0) {
                return 0;
            }
            ByteBuffer chunk = maps.chunks().get(index);
            int offset = (int) (position % chunkBytes);
            // A record that crosses a chunk boundary is read in two calls: Shark asks again for the rest.
            int length = (int) Math.min(byteCount, chunk.capacity() - offset);
            if (length <= 0) {
                return 0;
            }
            ByteBuffer slice = chunk.slice(offset, length);
            while (slice.hasRemaining()) {
                sink.write(slice);
            }
            return length;
        }

        @Override
        public BufferedSource asStreamingSource() {
            return RandomAccessSource.DefaultImpls.asStreamingSource(this);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                maps.close();
            }
        }
    }
}
