package dev.leakproof.internal.hprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leakproof.internal.trace.HeapDump;
import dev.leakproof.internal.trace.MappedHprofFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import shark.CloseableHeapGraph;
import shark.GcRoot;
import shark.HeapField;
import shark.HeapObject;
import shark.HprofHeapGraph;

/**
 * The index reads a dump of this JVM as Shark reads it: the same objects with the same class names,
 * the same field values, strings and GC roots. Shark is the reference; a sample of every kind of
 * object is compared (every object would take Shark minutes).
 */
class HprofIndexTests {

    private static Path dump;

    @BeforeAll
    static void dumpThisJvm() throws IOException {
        dump = HeapDump.take(List.of(), HprofIndexTests.class.getName());
    }

    @AfterAll
    static void deleteTheDump() throws IOException {
        Files.deleteIfExists(dump);
    }

    private static CloseableHeapGraph shark() {
        return HprofHeapGraph.Companion.openHeapGraph(new MappedHprofFile(dump), null,
                shark.HprofIndex.Companion.defaultIndexedGcRootTags());
    }

    @Test
    void readsTheSameObjectsClassesAndFieldsAsShark() throws IOException {
        try (CloseableHeapGraph shark = shark(); HprofIndex index = HprofIndex.open(dump, List.of())) {
            HeapView heap = new HeapView(index);
            assertThat(index.objectCount() + index.classes().size()).isEqualTo(shark.getObjectCount());
            int compared = 0;
            int fields = 0;
            int strings = 0;
            int i = 0;
            for (Iterator<HeapObject> it = shark.getObjects().iterator(); it.hasNext(); i++) {
                HeapObject expected = it.next();
                if (i % 97 != 0 && !(expected instanceof HeapObject.HeapClass)) {
                    continue;
                }
                HeapView.HeapObject actual = heap.object(expected.getObjectId());
                assertThat(actual).as("object %d", expected.getObjectId()).isNotNull();
                assertThat(actual.className()).isEqualTo(className(expected));
                compared++;
                if (expected instanceof HeapObject.HeapInstance instance) {
                    for (Iterator<HeapField> f = instance.readFields().iterator(); f.hasNext(); ) {
                        HeapField field = f.next();
                        HeapView.Value value = ((HeapView.Instance) actual).get(field.getDeclaringClass().getName(), field.getName());
                        assertThat(value).as(field.getName()).isNotNull();
                        assertThat(value.asObjectId()).isEqualTo(field.getValue().getAsNonNullObjectId());
                        assertThat(value.asInt()).isEqualTo(field.getValue().getAsInt());
                        assertThat(value.asLong()).isEqualTo(field.getValue().getAsLong());
                        fields++;
                    }
                    if (instance.getInstanceClassName().equals("java.lang.String")) {
                        assertThat(((HeapView.Instance) actual).readAsJavaString()).isEqualTo(instance.readAsJavaString());
                        strings++;
                    }
                } else if (expected instanceof HeapObject.HeapObjectArray array) {
                    assertThat(((HeapView.ObjectArray) actual).elementIds()).isEqualTo(array.readRecord().getElementIds());
                }
            }
            assertThat(compared).isGreaterThan(1_000);
            assertThat(fields).isGreaterThan(2_000);
            assertThat(strings).isGreaterThan(50);
        }
    }

    @Test
    void findsTheSameGcRootsAsShark() throws IOException {
        try (CloseableHeapGraph shark = shark(); HprofIndex index = HprofIndex.open(dump, List.of())) {
            Set<String> expected = new HashSet<>();
            for (GcRoot root : shark.getGcRoots()) {
                expected.add(root.getClass().getSimpleName() + "@" + root.getId());
            }
            Set<String> actual = new HashSet<>();
            for (HprofIndex.Root root : index.roots()) {
                String type = PathSearch.rootTypeName(root.tag());
                if (!type.equals("Unknown")) {
                    actual.add(type + "@" + root.id());
                }
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void keepsTheInstancesOfTheClassesAskedFor() {
        try (HprofIndex index = HprofIndex.open(dump, List.of("java.lang.Thread"))) {
            HeapView heap = new HeapView(index);
            long[] threads = index.instancesOf("java.lang.Thread");
            assertThat(threads).isNotEmpty().isSorted();
            for (long id : threads) {
                assertThat(heap.object(id).className()).isEqualTo("java.lang.Thread");
            }
        }
    }

    @Test
    void refusesWhatIsNotAWholeHotSpotDump(@TempDir Path directory) throws IOException {
        Path text = Files.writeString(directory.resolve("not.hprof"), "JAVA PROFILE? no, a text file");
        assertThatThrownBy(() -> HprofIndex.open(text, List.of())).isInstanceOf(UnsupportedHprofException.class)
                .hasMessageContaining("not an HPROF file");
        Path truncated = directory.resolve("truncated.hprof");
        Files.copy(dump, truncated);
        try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(dump) / 2);
        }
        assertThatThrownBy(() -> HprofIndex.open(truncated, List.of())).isInstanceOf(UnsupportedHprofException.class)
                .hasMessageContaining("truncated");
    }

    private static String className(HeapObject object) {
        if (object instanceof HeapObject.HeapClass c) {
            return c.getName();
        }
        if (object instanceof HeapObject.HeapInstance instance) {
            return instance.getInstanceClassName();
        }
        if (object instanceof HeapObject.HeapObjectArray array) {
            return array.getArrayClassName();
        }
        return ((HeapObject.HeapPrimitiveArray) object).getArrayClassName();
    }
}
