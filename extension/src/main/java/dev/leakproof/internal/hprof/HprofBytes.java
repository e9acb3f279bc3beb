package dev.leakproof.internal.hprof;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Big-endian reads at any position of a mapped HPROF file. The chunks overlap by a few bytes, so a
 * value that starts in one chunk is read from that chunk alone: every read is one bounds check and
 * one memory load, which is what lets an index of millions of records be built in a second.
 *
 * <pre>{@code
 * try (HprofBytes bytes = HprofBytes.open(dump)) {
 *     int idSize = bytes.readInt(19);
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HprofBytes implements AutoCloseable {

    static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    /** Longer than any single read (a long or an id). */
    private static final int OVERLAP = 64;

    private final FileMaps maps;
    private final ByteBuffer[] chunks;
    private final long size;

    private HprofBytes(FileMaps maps) {
        this.maps = maps;
        List<ByteBuffer> list = maps.chunks();
        this.chunks = list.toArray(ByteBuffer[]::new);
        this.size = maps.size();
    }

    public static HprofBytes open(Path file) {
        return new HprofBytes(FileMaps.map(file, 1 << CHUNK_SHIFT, OVERLAP));
    }

    public long size() {
        return size;
    }

    public byte readByte(long position) {
        return chunks[(int) (position >>> CHUNK_SHIFT)].get((int) (position & CHUNK_MASK));
    }

    public int readUnsignedByte(long position) {
        return readByte(position) & 0xff;
    }

    public short readShort(long position) {
        return chunks[(int) (position >>> CHUNK_SHIFT)].getShort((int) (position & CHUNK_MASK));
    }

    public int readInt(long position) {
        return chunks[(int) (position >>> CHUNK_SHIFT)].getInt((int) (position & CHUNK_MASK));
    }

    public long readUnsignedInt(long position) {
        return readInt(position) & 0xffffffffL;
    }

    public long readLong(long position) {
        return chunks[(int) (position >>> CHUNK_SHIFT)].getLong((int) (position & CHUNK_MASK));
    }

    /** A value of HPROF basic type {@code type} (8-byte ids), widened to a long (a float or double: its bits). */
    public long readValue(long position, int type) {
        return switch (HprofClass.size(type, 8)) {
            case 1 -> readByte(position);
            case 2 -> readShort(position);
            case 4 -> readInt(position);
            default -> readLong(position);
        };
    }

    /** {@code length} bytes from {@code position}, copied. */
    public byte[] readBytes(long position, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = readByte(position + i);
        }
        return bytes;
    }

    /** Modified UTF-8 as HotSpot writes names, read as UTF-8 (as Shark reads them). */
    public String readUtf8(long position, int length) {
        return new String(readBytes(position, length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        maps.close();
    }
}
