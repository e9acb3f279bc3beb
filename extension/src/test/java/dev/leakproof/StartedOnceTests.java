package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * What a framework or client library starts once, on first use, during a test with few connections
 * (its event loops with their epoll and eventfd descriptors, a scheduler, an elastic pool) is a
 * constant set, not a leak, whatever the machine's core count: it fails neither the descriptor nor
 * the thread check, and the report notes it. What grows with the connections still fails
 * ({@code BeyondTheHeapTests}: a thread per connection, a descriptor per connection).
 */
class StartedOnceTests {

    /** Event loop groups started by the test's first use of "the library", kept for the JVM's life as such libraries do. */
    static final List<EventLoopGroup> LIBRARY_LOOPS = new ArrayList<>();

    @AfterAll
    static void stopTheLibrary() {
        LIBRARY_LOOPS.forEach(g -> g.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly());
        LIBRARY_LOOPS.clear();
    }

    /**
     * Like Reactor Netty and a framework on first use: three pools of four event loops each (12
     * threads, 24 selector descriptors), more than "2 x cores + 4" threads on a 2-core machine.
     */
    static void startTheLibraryOnce() {
        if (LIBRARY_LOOPS.isEmpty()) {
            for (String pool : List.of("http-nio", "parallel", "bounded-elastic")) {
                EventLoopGroup group = new NioEventLoopGroup(4, new DefaultThreadFactory("library-" + pool));
                group.forEach(loop -> loop.submit(() -> { }).syncUninterruptibly()); // each loop's thread and selector start now
                LIBRARY_LOOPS.add(group);
            }
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class LibraryStartedOnFirstUseTestCase {
        @Test
        void aFewConnectionsThroughALibrary(dev.leakproof.fixture.ConnectionDriver driver) {
            startTheLibraryOnce();
            assertThat(driver.run().failures()).isZero();
        }
    }

    @Test
    void aLibrarysEventLoopsStartedOnceAreANoteNotALeak() throws Exception {
        Events tests = TestKit.tests(LibraryStartedOnFirstUseTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        tests.assertStatistics(s -> s.succeeded(1));
        String report = Files.readString(Path.of("target/leak-reports",
                LibraryStartedOnFirstUseTestCase.class.getName() + ".json"));
        assertThat(report).contains("descriptors of event loops").contains("not a leak");
    }
}
