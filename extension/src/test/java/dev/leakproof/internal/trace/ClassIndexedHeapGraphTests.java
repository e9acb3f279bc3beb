package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shark.CloseableHeapGraph;
import shark.HeapObject;
import shark.HprofHeapGraph;
import shark.HprofIndex;

/** The class index answers every lookup by name as Shark's own search does, on a dump of this JVM. */
class ClassIndexedHeapGraphTests {

    private static Path dump;

    @BeforeAll
    static void dumpThisJvm() throws IOException {
        dump = HeapDump.take(List.of(), ClassIndexedHeapGraphTests.class.getName());
    }

    @AfterAll
    static void deleteTheDump() throws IOException {
        Files.deleteIfExists(dump);
    }

    private static CloseableHeapGraph open() {
        return HprofHeapGraph.Companion.openHeapGraph(new MappedHprofFile(dump), null,
                HprofIndex.Companion.defaultIndexedGcRootTags());
    }

    @Test
    void findsEveryClassOfTheDumpAsSharkDoes() throws IOException {
        try (CloseableHeapGraph shark = open(); CloseableHeapGraph indexed = new ClassIndexedHeapGraph(open())) {
            int checked = 0;
            for (Iterator<HeapObject.HeapClass> it = shark.getClasses().iterator(); it.hasNext() && checked < 400; ) {
                HeapObject.HeapClass heapClass = it.next();
                HeapObject.HeapClass expected = shark.findClassByName(heapClass.getName());
                // Shark cannot find some names it gives (JDK 25's hidden classes, "Foo$$Lambda/0x..."): the
                // index finds them, which no lookup of ours or of Shark's readers depends on.
                HeapObject.HeapClass found = indexed.findClassByName(heapClass.getName());
                assertThat(found).as(heapClass.getName()).isNotNull();
                assertThat(found.getObjectId()).as(heapClass.getName())
                        .isEqualTo(expected == null ? heapClass.getObjectId() : expected.getObjectId());
                checked++;
            }
            assertThat(checked).isEqualTo(400);
            for (String name : List.of("java.util.HashMap", "java.lang.String", "int[]", "java.lang.Object[]",
                    "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", getClass().getName())) {
                assertThat(indexed.findClassByName(name)).as(name).isNotNull()
                        .extracting(HeapObject::getObjectId).isEqualTo(shark.findClassByName(name).getObjectId());
            }
        }
    }

    private static Long id(HeapObject.HeapClass heapClass) {
        return heapClass == null ? null : heapClass.getObjectId();
    }

    @Test
    void aClassTheDumpDoesNotHoldIsNullAsInShark() throws IOException {
        try (CloseableHeapGraph shark = open(); CloseableHeapGraph indexed = new ClassIndexedHeapGraph(open())) {
            for (String name : List.of("android.os.MessageQueue", "com.example.NeverLoaded", "java/lang/String")) {
                assertThat(id(indexed.findClassByName(name))).as(name).isEqualTo(id(shark.findClassByName(name)));
            }
            assertThat(indexed.findClassByName("android.os.MessageQueue")).isNull();
        }
    }
}
