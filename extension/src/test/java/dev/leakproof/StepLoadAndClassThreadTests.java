package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The step load of long-lived connection services, and threads a test class leaves running, each proven both ways. */
class StepLoadAndClassThreadTests {

    /** Keeps 64 KB per connection ever seen, in a shared list that never shrinks: nothing of the connection itself. */
    static final List<byte[]> HISTORY = new CopyOnWriteArrayList<>();

    static final class HistoryHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            HISTORY.add(new byte[64 * 1024]);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    @StepLoad(steps = {20, 100}, hold = "300ms")
    static class GrowingHistoryTestCase {
        @ServerPipeline
        static HistoryHandler handler() {
            return new HistoryHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    @StepLoad(steps = {20, 100}, hold = "300ms")
    static class EchoTestCase {
        @Test
        void connections() {
        }
    }

    @Test
    void memoryThatDoesNotComeBackAfterTheStepsFails() {
        HISTORY.clear();
        EngineExecutionResults results = TestKit.run(GrowingHistoryTestCase.class);
        HISTORY.clear();
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(GrowingHistoryTestCase.class),
                finishedWithFailure(message(m -> m.matches("(?s)after the step load \\(20 open: heap .*; 100 open: heap .*\\), "
                        + "the server did not come back to its baseline once every connection closed: heap after GC .*")))));
        // 100 connections at the last step, 64 KB kept for each: at least 6 MB of heap that did not come back.
        ConnectionLeakError leak = TestKit.classLeak(results, GrowingHistoryTestCase.class);
        assertThat(leak.leakedConnections()).isZero();
        assertThat(leak.connections()).isEqualTo(100);
        assertThat(leak.survivorsByClass().get("heap bytes")).isGreaterThan(6_000_000L);
    }

    @Test
    void theBuiltInServiceComesBackAfterEachStepAndRecordsEveryStep() throws Exception {
        EngineExecutionResults results = TestKit.run(EchoTestCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(EchoTestCase.class), finishedSuccessfully()));
        String json = Files.readString(Path.of("target/leak-reports", EchoTestCase.class.getName() + ".json"));
        assertThat(json).contains("\"stepLoad\": {").contains("\"open\": 20").contains("\"open\": 100")
                .contains("\"afterClose\": {");
        assertThat(Files.readString(Path.of("target/leak-reports", EchoTestCase.class.getName() + ".html")))
                .contains("<h2>Step load</h2>").contains("<svg");
    }

    // --- a test class that starts an executor and never shuts it down.

    static ExecutorService forgotten;

    // One test leaving one thread looks like a pool started once: strictThreads asks for every thread gone.
    @DetectConnectionLeaks(cycles = 4, concurrency = 2, strictThreads = true)
    static class ForgottenExecutorTestCase {
        @Test
        void usesAnExecutor() throws Exception {
            forgotten = Executors.newSingleThreadExecutor(r -> new Thread(r, "report-writer"));
            forgotten.submit(() -> { }).get();
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    static class ExecutorShutDownTestCase {
        @Test
        void usesAnExecutor() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "report-writer"));
            try {
                executor.submit(() -> { }).get();
            } finally {
                executor.shutdown();
            }
        }
    }

    @Test
    void anExecutorNeverShutDownFailsTheClass() {
        try {
            EngineExecutionResults results = TestKit.run(ForgottenExecutorTestCase.class);
            results.testEvents().assertStatistics(s -> s.succeeded(1));
            results.containerEvents().assertThatEvents().haveExactly(1, event(container(ForgottenExecutorTestCase.class),
                    finishedWithFailure(message(m -> m.startsWith("1 thread started by this test class is still running "
                            + "(4 connections): report-writer (WAITING at ")))));
            ConnectionLeakError leak = TestKit.classLeak(results, ForgottenExecutorTestCase.class);
            assertThat(leak.leakedConnections()).isZero();
            assertThat(leak.connections()).isEqualTo(4);
            assertThat(leak.survivorsByClass()).containsExactly(java.util.Map.entry("threads", 1L));
        } finally {
            forgotten.shutdownNow();
        }
    }

    @Test
    void anExecutorShutDownPasses() {
        TestKit.run(ExecutorShutDownTestCase.class).allEvents().assertThatEvents().doNotHave(event(finishedWithFailure()));
    }
}
