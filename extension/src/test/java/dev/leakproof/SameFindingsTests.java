package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The same threads are said once: a growth that counts them and the thread check that names them
 * would each fail the test (and the class's end would name them a third time). One finding stays a
 * failure, the other is a note of the report.
 */
class SameFindingsTests {

    static final List<Thread> STARTED = new CopyOnWriteArrayList<>();
    static final AtomicInteger SESSIONS = new AtomicInteger();

    static Thread sleeper(String name) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // stopped
            }
        }, name);
        t.setDaemon(true);
        STARTED.add(t);
        t.start();
        return t;
    }

    static void stopAll() {
        STARTED.forEach(Thread::interrupt);
        STARTED.clear();
    }

    // --- ResourceGrowth: a thread per repetition, still running at the test's end.

    @DetectConnectionLeaks(gracePeriod = "1s")
    static class ThreadPerRepetitionLeftRunningTestCase {
        @Test
        void startsAThreadEachTime(ResourceGrowth growth) {
            growth.withRepetitions(5, 20).assertDoesNotGrow(() -> sleeper("repetition-worker-" + STARTED.size()));
        }
    }

    @DetectConnectionLeaks(gracePeriod = "1s")
    static class ThreadPerRepetitionStoppedTestCase {
        @Test
        void startsAThreadEachTimeAndStopsIt(ResourceGrowth growth) {
            growth.withRepetitions(5, 20).assertDoesNotGrow(() -> {
                Thread t = sleeper("repetition-worker-" + STARTED.size());
                t.interrupt();
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                STARTED.remove(t);
            });
        }
    }

    @Test
    void threadsCountedByResourceGrowthAndLeftRunningAreSaidOnce() throws Exception {
        try {
            EngineExecutionResults results = TestKit.run(ThreadPerRepetitionLeftRunningTestCase.class);
            results.testEvents().assertStatistics(s -> s.failed(1));
            List<Throwable> failures = everyFailure(results);
            assertThat(failures).as("the test's failure, and no other (the class's end does not name them again)")
                    .hasSize(1);
            Throwable failure = failures.get(0);
            assertThat(failure).isInstanceOf(ConnectionLeakError.class);
            assertThat(failure.getMessage()).contains("Each repetition of the action leaves 1.00 threads");
            assertThat(failure.getSuppressed()).as("the thread check's words about the same threads").isEmpty();
            String json = Files.readString(Path.of("target/leak-reports",
                    ThreadPerRepetitionLeftRunningTestCase.class.getName() + ".json"));
            assertThat(json).contains("Named one by one, the same threads as the growth failure: 105 threads started "
                    + "during the test are still running (0 connections): repetition-worker-0 ");
            assertThat(json).contains("105 threads still running at the class's end, already reported by the verdict of "
                    + "startsAThreadEachTime(ResourceGrowth) (not reported again)");
        } finally {
            stopAll();
        }
    }

    @Test
    void threadsStoppedAfterEachRepetitionPass() {
        try {
            EngineExecutionResults results = TestKit.run(ThreadPerRepetitionStoppedTestCase.class);
            assertThat(TestKit.failures(results.allEvents())).isEmpty();
            results.testEvents().assertStatistics(s -> s.succeeded(1));
        } finally {
            stopAll();
        }
    }

    // --- a driven run judged by growth per connection: a thread per connection, never stopped.

    static final class WorkerPerConnection extends ChannelInboundHandlerAdapter {
        private final boolean stopOnClose;
        private Thread worker;

        WorkerPerConnection(boolean stopOnClose) {
            this.stopOnClose = stopOnClose;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            worker = sleeper("connection-worker-" + SESSIONS.incrementAndGet());
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (stopOnClose) {
                worker.interrupt();
                STARTED.remove(worker);
            }
            ctx.fireChannelInactive();
        }
    }

    // 125 cycles: the shortest run judged by growth per connection.
    @DetectConnectionLeaks(cycles = 125, concurrency = 2, gracePeriod = "1s")
    static class WorkerLeftPerConnectionTestCase {
        @ServerPipeline
        static WorkerPerConnection handler() {
            return new WorkerPerConnection(false);
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 125, concurrency = 2, gracePeriod = "1s")
    static class WorkerStoppedPerConnectionTestCase {
        @ServerPipeline
        static WorkerPerConnection handler() {
            return new WorkerPerConnection(true);
        }

        @Test
        void connections() {
        }
    }

    @Test
    void threadsCountedByTheDrivenRunsGrowthAndNamedByTheThreadCheckAreOneFinding() throws Exception {
        try {
            EngineExecutionResults results = TestKit.run(WorkerLeftPerConnectionTestCase.class);
            List<Throwable> failures = everyFailure(results);
            assertThat(failures).as("the test's failure, and no other").hasSize(1);
            Throwable failure = failures.get(0);
            assertThat(failure).isInstanceOf(ConnectionLeakError.class);
            assertThat(failure.getSuppressed()).isEmpty();
            String message = failure.getMessage();
            assertThat(count(message, "still running")).as("findings about the threads in %s", message).isEqualTo(1);
            assertThat(message).contains("125 threads started during the test are still running (125 connections): "
                    + "connection-worker-").doesNotContain("Each connection of the driven run leaves");
            assertThat(((ConnectionLeakError) failure).survivorsByClass()).containsEntry("threads", 125L);
            String json = Files.readString(Path.of("target/leak-reports",
                    WorkerLeftPerConnectionTestCase.class.getName() + ".json"));
            assertThat(json).contains("Counted by growth, the same threads as the failure that names them: Each "
                    + "connection of the driven run leaves 1.00 threads");
        } finally {
            stopAll();
        }
    }

    @Test
    void threadsStoppedWithTheirConnectionPass() {
        try {
            EngineExecutionResults results = TestKit.run(WorkerStoppedPerConnectionTestCase.class);
            assertThat(TestKit.failures(results.allEvents())).isEmpty();
            results.testEvents().assertStatistics(s -> s.succeeded(1));
        } finally {
            stopAll();
        }
    }

    private static List<Throwable> everyFailure(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .flatMap(e -> e.getPayload(TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream()).toList();
    }

    private static int count(String text, String words) {
        Matcher m = Pattern.compile(Pattern.quote(words)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
