package dev.leakproof.internal.hprof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A file mapped into memory in chunks of at most 1 GiB (a map's limit is 2 GiB), released together.
 * Released now rather than when the buffers are collected: on Java 22 and later through a
 * {@code java.lang.foreign.Arena} (found by reflection, the build targets Java 17), before that
 * through {@code sun.misc.Unsafe.invokeCleaner} (what Lucene did for the same reason; from Java 24 on
 * it prints a deprecation warning, so it is not used there). Where neither works, the GC releases
 * them. Released, the dump's disk space is freed when the file is deleted, not at some later GC.
 *
 * <pre>{@code
 * try (FileMaps maps = FileMaps.map(dump, 1 << 30, 64)) {
 *     ByteBuffer first = maps.chunks().get(0);
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class FileMaps implements AutoCloseable {
    private static final boolean FOREIGN_MEMORY = Runtime.version().feature() >= 22;

    private final List<ByteBuffer> chunks = new ArrayList<>();
    private final Object arena; // java.lang.foreign.Arena, or null before Java 22
    private final long size;

    private FileMaps(Object arena, long size) {
        this.arena = arena;
        this.size = size;
    }

    /**
     * Maps {@code file} in chunks starting every {@code chunkBytes}, each {@code overlap} bytes longer
     * (up to the end of the file), so that a read of at most {@code overlap} bytes that starts in a
     * chunk never needs the next one.
     */
    public static FileMaps map(Path file, int chunkBytes, int overlap) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            FileMaps maps = new FileMaps(FOREIGN_MEMORY ? Foreign.newArena() : null, size);
            try {
                for (long start = 0; start < size; start += chunkBytes) {
                    maps.map(channel, start, Math.min((long) chunkBytes + overlap, size - start));
                }
            } catch (IOException | RuntimeException e) {
                maps.close();
                throw e;
            }
            return maps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chunks, in file order. */
    public List<ByteBuffer> chunks() {
        return chunks;
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    private void map(FileChannel channel, long start, long length) throws IOException {
        chunks.add(arena != null ? Foreign.map(channel, start, length, arena)
                : channel.map(FileChannel.MapMode.READ_ONLY, start, length));
    }

    @Override
    public void close() {
        if (arena != null) {
            Foreign.close(arena);
        } else {
            chunks.forEach(Cleaner::invoke);
        }
        chunks.clear();
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
            if (FOREIGN_MEMORY) {
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
