package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shark running out of memory on a large heap dump: the path is skipped with what to do, and the
 * analysis thread's failure does not escape into the verdict. The error is thrown where Shark asks
 * which objects to explain, after it indexed the dump: where a real one would come from.
 */
class SharkOutOfMemoryTests {

    @Test
    void sharkOutOfMemoryIsSkippedWithTheAdvice() throws IOException {
        Path dump = HeapDump.take(List.of(), "shark-oom-test");
        try {
            LeakTraces.Result result = SharkAnalysis.analyse(dump, new MappedHprofFile(dump), graph -> {
                throw new OutOfMemoryError("Java heap space");
            }, new SharkAnalysis.Matchers(List.of(), List.of()), Duration.ofSeconds(60), step -> { });
            assertThat(result.skipped())
                    .startsWith("the leak-path analysis ran out of memory reading a heap dump of ")
                    .contains(" MiB in a test JVM of at most ")
                    .endsWith("leakproof.leakTrace = false (the verdict does not need it)");
            assertThat(LeakTraces.describe(result)).startsWith("Reference path: skipped, the leak-path analysis ran out of memory");
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
