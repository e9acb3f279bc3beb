package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leakproof.internal.hprof.HprofIndex;
import dev.leakproof.internal.hprof.UnsupportedHprofException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import shark.GcRoot;
import shark.HprofHeader;
import shark.HprofRecord;
import shark.HprofVersion;
import shark.HprofWriter;
import shark.ValueHolder;

/**
 * A dump Leakproof's index does not read still gets its path, from Shark: here a dump with 4-byte
 * ids (a 32-bit JVM's), written with Shark's own HPROF writer, holding one session in a static field.
 */
class SharkFallbackTests {

    private static final long OBJECT = 100;
    private static final long REGISTRY = 200;
    private static final long SESSION_CLASS = 250;
    private static final long SESSION = 300;

    @Test
    void aDumpTheIndexDoesNotReadIsAnalysedByShark(@TempDir Path directory) throws IOException {
        Path dump = directory.resolve("four-byte-ids.hprof");
        writeDumpWithFourByteIds(dump);
        assertThatThrownBy(() -> HprofIndex.open(dump, List.of())).isInstanceOf(UnsupportedHprofException.class)
                .hasMessageContaining("ids of 4 bytes");

        LeakTraces.Result result = LeakTraces.analyseDump(dump, Targets.instancesOf(List.of("com.example.Session"), 10),
                new LeakTraces.Options(List.of(), List.of(), Duration.ofSeconds(60), false), System.nanoTime());

        assertThat(result.skipped()).isNull();
        assertThat(result.leakingObjects()).isEqualTo(1);
        assertThat(result.topPath()).isEqualTo("static Registry.SESSIONS -> Session");
    }

    private static void writeDumpWithFourByteIds(Path dump) throws IOException {
        try (HprofWriter writer = HprofWriter.Companion.openWriterFor(dump.toFile(),
                new HprofHeader(System.currentTimeMillis(), HprofVersion.JDK_6, 4))) {
            writer.write(new HprofRecord.StringRecord(1, "java.lang.Object"));
            writer.write(new HprofRecord.StringRecord(2, "com.example.Registry"));
            writer.write(new HprofRecord.StringRecord(3, "SESSIONS"));
            writer.write(new HprofRecord.StringRecord(4, "com.example.Session"));
            writer.write(new HprofRecord.LoadClassRecord(1, OBJECT, 0, 1));
            writer.write(new HprofRecord.LoadClassRecord(2, REGISTRY, 0, 2));
            writer.write(new HprofRecord.LoadClassRecord(3, SESSION_CLASS, 0, 4));
            writer.write(new HprofRecord.HeapDumpRecord.ObjectRecord.ClassDumpRecord(OBJECT, 0, 0, 0, 0, 0, 0, List.of(),
                    List.of()));
            writer.write(new HprofRecord.HeapDumpRecord.ObjectRecord.ClassDumpRecord(REGISTRY, 0, OBJECT, 0, 0, 0, 0,
                    List.of(new HprofRecord.HeapDumpRecord.ObjectRecord.ClassDumpRecord.StaticFieldRecord(3, 2,
                            new ValueHolder.ReferenceHolder(SESSION))), List.of()));
            writer.write(new HprofRecord.HeapDumpRecord.ObjectRecord.ClassDumpRecord(SESSION_CLASS, 0, OBJECT, 0, 0, 0, 0,
                    List.of(), List.of()));
            writer.write(new HprofRecord.HeapDumpRecord.ObjectRecord.InstanceDumpRecord(SESSION, 0, SESSION_CLASS,
                    new byte[0]));
            writer.write(new HprofRecord.HeapDumpRecord.GcRootRecord(new GcRoot.StickyClass(REGISTRY)));
        }
    }
}
