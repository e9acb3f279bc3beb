package dev.leakproof.internal.hprof;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link HprofIndex}: one pass over the file's top-level records (strings, class names,
 * where the heap-dump segments are), then the segments split into contiguous parts of about equal
 * size, one per core, each read by a {@link SegmentParser} on a thread of its own.
 */
final class HprofIndexer {

    private static final int STRING = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int HEAP_DUMP = 0x0C;
    private static final int HEAP_DUMP_SEGMENT = 0x1C;
    private static final int MAX_THREADS = 4;
    /**
     * Strings, boxed numbers and arrays of boxed numbers: Shark reads no reference from them
     * ({@link References}), so a search need not queue them.
     */
    static final java.util.Set<String> LEAF_CLASSES = java.util.Set.of("java.lang.String", "java.lang.Boolean",
            "java.lang.Character", "java.lang.Float", "java.lang.Double", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Boolean[]", "java.lang.Character[]", "java.lang.Float[]",
            "java.lang.Double[]", "java.lang.Byte[]", "java.lang.Short[]", "java.lang.Integer[]", "java.lang.Long[]");

    private HprofIndexer() {
    }

    static HprofIndex index(Path dump, List<String> collectClasses) {
        long start = System.nanoTime();
        HprofBytes bytes = HprofBytes.open(dump);
        try {
            return index(bytes, collectClasses, start);
        } catch (RuntimeException | Error e) {
            bytes.close();
            throw e;
        }
    }

    private static HprofIndex index(HprofBytes bytes, List<String> collectClasses, long start) {
        long p = 0;
        while (p < Math.min(bytes.size(), 64) && bytes.readByte(p) != 0) {
            p++;
        }
        String format = bytes.readUtf8(0, (int) p);
        if (!format.startsWith("JAVA PROFILE 1.0")) {
            throw new UnsupportedHprofException("not an HPROF file: " + format);
        }
        int idSize = bytes.readInt(p + 1);
        if (idSize != HprofIndex.ID) {
            throw new UnsupportedHprofException("ids of " + idSize + " bytes");
        }
        p += 1 + 4 + 8;
        Strings strings = new Strings(bytes);
        Map<Long, Long> classNames = new HashMap<>();
        List<long[]> segments = new ArrayList<>();
        long size = bytes.size();
        while (p + 9 <= size) {
            int tag = bytes.readUnsignedByte(p);
            long length = bytes.readUnsignedInt(p + 5);
            long body = p + 9;
            if (body + length > size) {
                throw new UnsupportedHprofException("the dump is truncated at " + p);
            }
            switch (tag) {
                case STRING -> strings.add(bytes.readLong(body), body + HprofIndex.ID, (int) length - HprofIndex.ID);
                case LOAD_CLASS -> classNames.put(bytes.readLong(body + 4), bytes.readLong(body + 4 + HprofIndex.ID + 4));
                case HEAP_DUMP, HEAP_DUMP_SEGMENT -> segments.add(new long[] {body, body + length});
                default -> { }
            }
            p = body + length;
        }
        long[] wanted = new long[collectClasses.size()];
        Map<String, Integer> wantedByName = new HashMap<>();
        for (int i = 0; i < collectClasses.size(); i++) {
            wantedByName.put(collectClasses.get(i), i);
        }
        classNames.forEach((classId, nameId) -> {
            String name = strings.text(nameId);
            Integer i = name == null ? null : wantedByName.get(HprofIndex.sharkName(name));
            // A class that two loaders define: the one of the lowest id, as Shark finds a class by name.
            if (i != null && (wanted[i] == 0 || Long.compareUnsigned(classId, wanted[i]) < 0)) {
                wanted[i] = classId;
            }
        });
        // What Shark never reads a reference from: known by name before the objects are read.
        LongIntMap leafClasses = new LongIntMap(64);
        classNames.forEach((classId, nameId) -> {
            String name = strings.text(nameId);
            if (name != null && LEAF_CLASSES.contains(HprofIndex.sharkName(name))) {
                leafClasses.putIfAbsent(classId, 1);
            }
        });
        ObjectTable table = new ObjectTable(size);
        List<SegmentParser> parsers = parse(bytes, table, segments, wanted, leafClasses);
        int runs = parsers.stream().mapToInt(parser -> parser.runs).sum();
        int[] runStarts = new int[runs];
        int[] runLengths = new int[runs];
        int[] runHighs = new int[runs];
        int r = 0;
        int objects = 0;
        for (SegmentParser parser : parsers) {
            System.arraycopy(parser.runStarts, 0, runStarts, r, parser.runs);
            System.arraycopy(parser.runLengths, 0, runLengths, r, parser.runs);
            System.arraycopy(parser.runHighs, 0, runHighs, r, parser.runs);
            r += parser.runs;
            objects += parser.objects;
        }
        table.seal(runStarts, runLengths, runHighs, runs, objects);
        return new HprofIndex(bytes, table, strings, classNames, parsers, collectClasses, System.nanoTime() - start);
    }

    /** Reads the segments on up to {@value #MAX_THREADS} threads, one contiguous part of the file each. */
    private static List<SegmentParser> parse(HprofBytes bytes, ObjectTable table, List<long[]> segments, long[] wanted,
            LongIntMap leafClasses) {
        int threads = Math.max(1, Math.min(Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()), segments.size()));
        long total = segments.stream().mapToLong(s -> s[1] - s[0]).sum();
        List<SegmentParser> parsers = new ArrayList<>();
        int from = 0;
        for (int t = 0; t < threads; t++) {
            long share = total * (t + 1) / threads;
            long done = 0;
            int to = from;
            for (int i = 0; i < segments.size(); i++) {
                done += i < from ? segments.get(i)[1] - segments.get(i)[0] : 0;
            }
            while (to < segments.size() && (t == threads - 1 || done < share)) {
                done += segments.get(to)[1] - segments.get(to)[0];
                to++;
            }
            long[] starts = new long[to - from];
            long[] ends = new long[to - from];
            for (int i = from; i < to; i++) {
                starts[i - from] = segments.get(i)[0];
                ends[i - from] = segments.get(i)[1];
            }
            parsers.add(new SegmentParser(bytes, table, starts, ends, wanted, leafClasses));
            from = to;
        }
        List<Thread> running = new ArrayList<>();
        for (int t = 1; t < parsers.size(); t++) {
            Thread thread = new Thread(parsers.get(t), "leakproof-hprof-index-" + t);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        parsers.get(0).run(); // the caller's thread reads the first part
        // Waited for even when interrupted: the maps are released after, and a thread still reading
        // them would read memory that is gone.
        boolean interrupted = false;
        for (Thread thread : running) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (SegmentParser parser : parsers) {
            if (parser.failure instanceof RuntimeException e) {
                throw e;
            } else if (parser.failure instanceof Error e) {
                throw e;
            } else if (parser.failure != null) {
                throw new IllegalStateException(parser.failure);
            }
        }
        return parsers;
    }

}
