package dev.leakproof.internal.session;

import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.RunObserver;
import dev.leakproof.internal.report.WorkDone;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Counts what a class's tests ran, for the report ({@link WorkDone}) and for the automatic run: a
 * test that made a driver, or handed an action to {@code ResourceGrowth}, has a body of its own and
 * gets no automatic run of the configured cycles (which would report cycles nobody asked for).
 * Cycles count as driven only between a test's start and its verdict: drivers of {@code @BeforeAll}
 * and of the class-level checks are judged, and counted, as the class's own.
 *
 * <pre>{@code
 * CountedRuns runs = new CountedRuns(report.workDone());
 * runs.testStarted();
 * ConnectionDriver driver = drivenCycles.driver(builder, ours, supplier, runs.counting(observer));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
final class CountedRuns {

    private final WorkDone work;
    private final AtomicInteger driversMade = new AtomicInteger();
    private final AtomicLong repetitions = new AtomicLong();
    private volatile boolean inTest;
    private int driversAtTestStart;
    private long repetitionsAtTestStart;

    CountedRuns(WorkDone work) {
        this.work = work;
    }

    void testStarted() {
        inTest = true;
        driversAtTestStart = driversMade.get();
        repetitionsAtTestStart = repetitions.get();
    }

    /** The verdict (or a class-level one) begins: runs from now on are not a test's. */
    void verdictStarted() {
        inTest = false;
    }

    /** Whether the running test made a driver of its own. */
    boolean driverMadeInTest() {
        return driversMade.get() > driversAtTestStart;
    }

    /** Whether the running test handed an action to {@code ResourceGrowth}. */
    boolean growthJudgedInTest() {
        return repetitions.get() > repetitionsAtTestStart;
    }

    void repetitions(long count) {
        repetitions.addAndGet(count);
        work.growthRepetitions(count);
    }

    /** {@code observer}, also counting the cycles each run completes while a test runs. */
    RunObserver counting(RunObserver observer) {
        driversMade.incrementAndGet();
        return new RunObserver() {
            @Override
            public int[] pausePoints(int cycles) {
                return observer.pausePoints(cycles);
            }

            @Override
            public void checkpoint(int cyclesDone) {
                observer.checkpoint(cyclesDone);
            }

            @Override
            public void runEnded(DriverStats stats) {
                if (inTest) {
                    work.drivenCycles(stats.cyclesCompleted());
                }
                observer.runEnded(stats);
            }
        };
    }
}
