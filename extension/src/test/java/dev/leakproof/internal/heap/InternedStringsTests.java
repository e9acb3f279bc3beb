package dev.leakproof.internal.heap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JVM's interned strings, read from VM.stringtable as JDK 17 and 25 print it. */
class InternedStringsTests {

    @Test
    void readsTheJvmsOwnTableNotTheSharedOneAfterIt() {
        String jdk25 = """
                StringTable statistics:
                Number of buckets       :     65536 =    524288 bytes, each 8
                Number of entries       :      3824 =     61184 bytes, each 16
                Number of literals      :      3824 =    285896 bytes, avg  74.000
                Total footprint         :           =    871368 bytes
                Shared String Table statistics:
                Number of buckets       :      2109
                Number of entries       :     16871
                """;
        assertThat(InternedStrings.parse(jdk25)).isEqualTo(3824);
        assertThat(InternedStrings.parse("Number of entries       :        12 =       192 bytes, each 16")).isEqualTo(12);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(InternedStrings.parse("Unknown diagnostic command")).isEqualTo(-1);
        assertThat(InternedStrings.parse(null)).isEqualTo(-1);
    }

    @Test
    void countsAStringThisJvmInterns() {
        long before = InternedStrings.count();
        String interned = ("interned at " + System.nanoTime()).intern();
        assertThat(before).isPositive();
        assertThat(InternedStrings.count()).isGreaterThan(before);
        assertThat(interned).startsWith("interned at ");
    }
}
