package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Threads are judged by growth, not by presence: an executor every test starts and never stops
 * fails the class; a static single-thread executor a server starts on first use (one thread for the
 * JVM's life, its tasks cancelled on close) is a note, and no verdict waits its grace period for it.
 */
class ThreadGrowthTests {

    static final List<ExecutorService> STARTED = new CopyOnWriteArrayList<>();

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    static class EveryTestStartsAnExecutorTestCase {
        @Test
        void first() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            STARTED.add(executor);
            executor.submit(() -> { }).get();
        }

        @Test
        void second() throws Exception {
            first();
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    static class EveryTestStopsItsExecutorTestCase {
        @Test
        void first() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                executor.submit(() -> { }).get();
            } finally {
                executor.shutdown();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }

        @Test
        void second() throws Exception {
            first();
        }
    }

    @Test
    void anExecutorEveryTestStartsAndNeverStopsFailsTheClass() {
        try {
            EngineExecutionResults results = TestKit.run(EveryTestStartsAnExecutorTestCase.class);
            results.testEvents().assertStatistics(s -> s.succeeded(2));
            results.containerEvents().assertThatEvents().haveExactly(1, event(container(
                    EveryTestStartsAnExecutorTestCase.class), finishedWithFailure(message(m -> m.startsWith(
                            "2 threads started by this test class are still running (8 connections): pool-")))));
            ConnectionLeakError leak = TestKit.classLeak(results, EveryTestStartsAnExecutorTestCase.class);
            assertThat(leak.leakedConnections()).isZero();
            assertThat(leak.connections()).isEqualTo(8);
            assertThat(leak.survivorsByClass()).containsExactly(java.util.Map.entry("threads", 2L));
        } finally {
            STARTED.forEach(ExecutorService::shutdownNow);
            STARTED.clear();
        }
    }

    @Test
    void anExecutorEveryTestStopsPasses() {
        TestKit.run(EveryTestStopsItsExecutorTestCase.class).allEvents().assertThatEvents()
                .doNotHave(event(finishedWithFailure()));
    }

    // --- a server that hands work to a static single-thread executor, created on first use.

    static final class Background {
        private static ExecutorService executor;

        static synchronized ExecutorService executor() {
            if (executor == null) {
                executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "background-audit"));
            }
            return executor;
        }

        static synchronized void shutDown() {
            if (executor != null) {
                executor.shutdownNow();
                executor = null;
            }
        }
    }

    static final class AuditingHandler extends ChannelInboundHandlerAdapter {
        private Future<?> audit;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            audit = ((java.util.concurrent.ScheduledExecutorService) Background.executor())
                    .schedule(() -> { }, 1, TimeUnit.HOURS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            audit.cancel(false);
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class StaticSingletonExecutorTestCase {
        @ServerPipeline
        static AuditingHandler handler() {
            return new AuditingHandler();
        }

        @Test
        void first(ConnectionDriver driver) {
            driver.run();
        }

        @Test
        void second(ConnectionDriver driver) {
            driver.run();
        }
    }

    @Test
    void aStaticExecutorStartedOnFirstUseIsANoteAndNoVerdictWaitsForIt() throws IOException {
        try {
            EngineExecutionResults results = TestKit.run(StaticSingletonExecutorTestCase.class);
            results.allEvents().assertThatEvents().doNotHave(event(finishedWithFailure()));
            String json = Files.readString(Path.of("target/leak-reports", StaticSingletonExecutorTestCase.class.getName()
                    + ".json"));
            assertThat(json).contains("1 thread started once by this test class and still running, constant over its "
                    + "tests (a pool started on first use, by design: not a leak; strictThreads = true would fail it): "
                    + "background-audit");
            // The grace period is 5 s: a verdict that waited for the thread would take that long.
            Matcher millis = Pattern.compile("\"verdictMillis\": (\\d+)").matcher(json);
            while (millis.find()) {
                assertThat(Long.parseLong(millis.group(1))).as("verdict time, ms").isLessThan(4000);
            }
        } finally {
            Background.shutDown();
        }
    }
}
