package dev.leakproof.internal.trace;

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
        Maps maps = Maps.open();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long start = 0; start < size; start += chunkBytes) {
                maps.map(channel, start, Math.min(chunkBytes, size - start));
            }
        } catch (IOException | RuntimeException e) {
            maps.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return new MappedSource(maps, chunkBytes);
    }

    private static final class MappedSource implements RandomAccessSource {
        private final Maps maps;
        private final int chunkBytes;
        private boolean closed;

        MappedSource(Maps maps, int chunkBytes) {
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
            if (index >= maps.chunks.size() || byteCount <= 0) {
                return 0;
            }
            ByteBuffer chunk = maps.chunks.get(index);
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
                maps.release();
            }
        }
    }

    /**
     * The maps of one source, released together. Released now rather than when the buffers are
     * collected: on Java 22 and later through a {@code java.lang.foreign.Arena} (found by reflection,
     * the build targets Java 17), before that through {@code sun.misc.Unsafe.invokeCleaner} (what
     * Lucene did for the same reason; from Java 24 on it prints a deprecation warning, so it is not
     * used there). Where neither works, the GC releases them.
     */
    private static final class Maps {
        private static final boolean FOREIGN_MEMORY = Runtime.version().feature() >= 22;

        final List<ByteBuffer> chunks = new ArrayList<>();
        private final Object arena; // java.lang.foreign.Arena, or null before Java 22

        private Maps(Object arena) {
            this.arena = arena;
        }

        static Maps open() {
            return new Maps(FOREIGN_MEMORY ? Foreign.newArena() : null);
        }

        void map(FileChannel channel, long start, long size) throws IOException {
            chunks.add(arena != null ? Foreign.map(channel, start, size, arena)
                    : channel.map(FileChannel.MapMode.READ_ONLY, start, size));
        }

        void release() {
            if (arena != null) {
                Foreign.close(arena);
            } else {
                chunks.forEach(Cleaner::invoke);
            }
            chunks.clear();
        }
    }

    /** {@code Arena.ofShared()}, {@code FileChannel.map(mode, offset, size, arena).asByteBuffer()}, {@code arena.close()}. */
    private static final class Foreign {
        private static final Method OF_SHARED;
        private static final Method MAP;
        private static final Method AS_BYTE_BUFFER;
        private static final Method CLOSE;

        static {
            Method ofShared = null;
            Method map = null;
            Method asByteBuffer = null;
            Method close = null;
            if (Maps.FOREIGN_MEMORY) {
                try {
                    Class<?> arena = Class.forName("java.lang.foreign.Arena");
                    ofShared = arena.getMethod("ofShared");
                    map = FileChannel.class.getMethod("map", FileChannel.MapMode.class, long.class, long.class, arena);
                    asByteBuffer = Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer");
                    close = arena.getMethod("close");
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
            OF_SHARED = ofShared;
            MAP = map;
            AS_BYTE_BUFFER = asByteBuffer;
            CLOSE = close;
        }

        static Object newArena() {
            return invoke(OF_SHARED, null);
        }

        static ByteBuffer map(FileChannel channel, long start, long size, Object arena) {
            Object segment = invoke(MAP, channel, FileChannel.MapMode.READ_ONLY, start, size, arena);
            return (ByteBuffer) invoke(AS_BYTE_BUFFER, segment);
        }

        static void close(Object arena) {
            invoke(CLOSE, arena);
        }

        private static Object invoke(Method method, Object target, Object... arguments) {
            try {
                return method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new UncheckedIOException(new IOException(e.getCause()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** {@code sun.misc.Unsafe.invokeCleaner(buffer)}, used before Java 22 only. */
    private static final class Cleaner {
        private static final Object UNSAFE;
        private static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method invokeCleaner = null;
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = field.get(null);
                invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null;
                invokeCleaner = null;
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = invokeCleaner;
        }

        static void invoke(ByteBuffer buffer) {
            if (INVOKE_CLEANER == null) {
                return;
            }
            try {
                INVOKE_CLEANER.invoke(UNSAFE, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the GC
            }
        }
    }
}
