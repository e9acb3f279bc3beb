package dev.leakproof.internal.growth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.internal.heap.ClassHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The growth judge on points made by hand: growth in proportion to the repetitions is told from a
 * one-time cost, from noise, from a rate that changes, from what follows time, and from the JDK's
 * own churn; the user's classes are named first.
 */
class GrowthJudgeTests {

    static final String TEST = "com.example.chat.ChatTests";
    static final int K = 100;
    /** Before the warm-up, after it (50), after K, after 2K more. */
    static final int[] REPS = {0, 50, 150, 350};

    @Test
    void aClassThatKeepsOneInstancePerRepetitionGrows() {
        GrowthJudge.Result result = judge(new Run(REPS).count("com.example.chat.Session", 10, 60, 160, 360));

        assertThat(result.grows()).isTrue();
        assertThat(result.classes()).singleElement().satisfies(t -> {
            assertThat(t.resource()).isEqualTo("com.example.chat.Session");
            assertThat(t.origin()).isEqualTo(GrowthJudge.Origin.USER);
            assertThat(t.perRepetition()).isEqualTo(1.0);
            assertThat(t.counts()).containsExactly(10, 60, 160, 360);
        });
        assertThat(result.warmUp()).isEqualTo(50);
        assertThat(result.step()).isEqualTo(K);
        assertThat(result.repetitions()).isEqualTo(350);
        assertThat(result.confirmed()).isFalse();
    }

    @Test
    void whatTheWarmUpAddedOnceIsNoGrowth() {
        assertThat(judge(new Run(REPS).count("com.example.chat.Cache", 10, 900, 900, 901)).grows()).isFalse();
    }

    @Test
    void aRateBelowOneInTenRepetitionsIsNoGrowth() {
        // 0.09 per repetition in both steps: steady, but below what counts.
        assertThat(judge(new Run(REPS).count("com.example.chat.Session", 0, 0, 9, 27)).grows()).isFalse();
        assertThat(judge(new Run(REPS).count("com.example.chat.Session", 0, 0, 10, 30)).grows()).isTrue();
    }

    @Test
    void aRateThatChangesBeyondTheToleranceIsNoGrowth() {
        // 1 per repetition in the K step, 1.8 in the 2K step: 0.8 apart, more than 0.4 of 1.8, less than 0.5 of it.
        Run run = new Run(REPS).count("com.example.chat.Session", 0, 0, 100, 460);

        assertThat(GrowthJudge.judge(run.points(), K, TEST, List.of(), GrowthJudge.RATE_TOLERANCE).grows()).isFalse();
        assertThat(GrowthJudge.judge(run.points(), K, TEST, List.of(), 0.5).grows()).isTrue();
    }

    @Test
    void noiseThatStopsIsNoGrowth() {
        assertThat(judge(new Run(REPS).count("com.example.chat.Session", 10, 60, 160, 165)).grows()).isFalse();
    }

    @Test
    void whatFollowsTimeRatherThanRepetitionsIsNoGrowth() {
        // 100 added in each step, the 2K step twice as long in repetitions but as long in time: a timer's work.
        Run sameTime = new Run(REPS).seconds(0, 1, 2, 3).count("com.example.chat.Heartbeat", 0, 0, 100, 200);
        Run timeWithRepetitions = new Run(REPS).seconds(0, 1, 2, 4).count("com.example.chat.Heartbeat", 0, 0, 100, 200);

        assertThat(GrowthJudge.judge(sameTime.points(), K, TEST, List.of(), 0.6).grows()).isFalse();
        assertThat(GrowthJudge.judge(timeWithRepetitions.points(), K, TEST, List.of(), 0.6).grows()).isTrue();
    }

    @Test
    void theJdksOwnClassesNeedMoreThanOnePerRepetitionWhenNothingElseGrows() {
        Run bytesAlone = new Run(REPS).count("[B", 0, 0, 70, 210);
        Run bytesWithSessions = new Run(REPS).count("[B", 0, 0, 70, 210).count("com.example.chat.Session", 0, 0, 100, 300);

        assertThat(judge(bytesAlone).grows()).as("0.7 byte[] per repetition alone").isFalse();
        assertThat(judge(new Run(REPS).count("[B", 0, 0, 100, 300)).classes())
                .extracting(GrowthJudge.Trend::resource).containsExactly("byte[]");
        assertThat(judge(bytesWithSessions).classes()).extracting(GrowthJudge.Trend::resource)
                .containsExactly("com.example.chat.Session", "byte[]");
        assertThat(judge(new Run(REPS).count("[B", 0, 0, 40, 120).count("com.example.chat.Session", 0, 0, 100, 300))
                .classes()).as("below half a byte[] per repetition").extracting(GrowthJudge.Trend::resource)
                .containsExactly("com.example.chat.Session");
    }

    @Test
    void internedStringsAreTakenOutOfTheStringsCounted() {
        Run interning = new Run(REPS).count("java.lang.String", 1000, 1050, 1150, 1350).interned(500, 550, 650, 850);

        GrowthJudge.Result result = judge(interning);

        assertThat(result.grows()).isFalse();
        assertThat(result.internedStrings()).containsExactly(500, 550, 650, 850);
        assertThat(judge(new Run(REPS).count("java.lang.String", 1000, 1050, 1150, 1350)).grows())
                .as("the same strings when the JVM cannot count the interned ones").isTrue();
    }

    @Test
    void theDetectorsOwnClassesAndTheUsersAllowlistAreNeverGrowth() {
        Run run = new Run(REPS).count("dev.leakproof.internal.tracking.TrackedObject", 0, 0, 100, 300)
                .count("com.example.chat.Cache$Entry", 0, 0, 100, 300).count("com.example.chat.Session", 0, 0, 100, 300);

        GrowthJudge.Result result = GrowthJudge.judge(run.points(), K, TEST, List.of(Pattern.compile("com\\.example\\.chat\\.Cache.*")),
                GrowthJudge.RATE_TOLERANCE);

        assertThat(result.classes()).extracting(GrowthJudge.Trend::resource).containsExactly("com.example.chat.Session");
    }

    @Test
    void theUsersClassesComeFirstThenLibrariesChannelsFirstThenTheJdks() {
        Run run = new Run(REPS).count("[B", 0, 0, 300, 900).count("io.netty.util.Recycler$Handle", 0, 0, 200, 600)
                .count("io.netty.channel.socket.nio.NioSocketChannel", 0, 0, 100, 300)
                .count("com.example.chat.Session", 0, 0, 100, 300).count("com.example.chat.Message", 0, 0, 200, 600);

        assertThat(judge(run).classes()).extracting(GrowthJudge.Trend::resource).containsExactly(
                "com.example.chat.Message", "com.example.chat.Session", "io.netty.channel.socket.nio.NioSocketChannel",
                "io.netty.util.Recycler$Handle", "byte[]");
    }

    @Test
    void resourcesAreJudgedLikeClasses() {
        Run run = new Run(REPS).threads(10, 11, 111, 311).openConnections(0, 0, 0, 0);

        GrowthJudge.Result result = judge(run);

        assertThat(result.grows()).isTrue();
        assertThat(result.classes()).isEmpty();
        assertThat(result.resources()).extracting(GrowthJudge.Trend::resource).containsExactly("open connections",
                "threads", "file descriptors", "scheduled tasks", "tracked objects");
        assertThat(result.resources()).filteredOn(GrowthJudge.Trend::grows).extracting(GrowthJudge.Trend::resource)
                .containsExactly("threads");
    }

    @Test
    void aConfirmingStepMustKeepTheRateToo() {
        int[] confirming = {0, 50, 150, 350, 550};

        GrowthJudge.Result kept = judge(new Run(confirming).count("com.example.chat.Session", 0, 0, 100, 300, 500));
        GrowthJudge.Result stopped = judge(new Run(confirming).count("com.example.chat.Session", 0, 0, 100, 300, 305));

        assertThat(kept.grows()).isTrue();
        assertThat(kept.confirmed()).isTrue();
        assertThat(stopped.grows()).isFalse();
    }

    @Test
    void twoStepsAreNeededToJudge() {
        GrowthJudge.Result result = judge(new Run(new int[] {0, 50, 150}).count("com.example.chat.Session", 0, 50, 150));

        assertThat(result.grows()).isFalse();
    }

    @Test
    void whereAClassComesFrom() {
        assertThat(GrowthJudge.origin("com.example.billing.Invoice", TEST)).isEqualTo(GrowthJudge.Origin.USER);
        assertThat(GrowthJudge.origin("com.example.chat.Session[]", TEST)).isEqualTo(GrowthJudge.Origin.USER);
        assertThat(GrowthJudge.origin("io.netty.buffer.PoolChunk", TEST)).isEqualTo(GrowthJudge.Origin.LIBRARY);
        assertThat(GrowthJudge.origin("java.util.HashMap$Node[]", TEST)).isEqualTo(GrowthJudge.Origin.JDK);
        assertThat(GrowthJudge.origin("byte[]", TEST)).isEqualTo(GrowthJudge.Origin.JDK);
    }

    private static GrowthJudge.Result judge(Run run) {
        return GrowthJudge.judge(run.points(), K, TEST, List.of(), GrowthJudge.RATE_TOLERANCE);
    }

    /** Points made by hand: the repetitions, and what was counted at each. */
    private static final class Run {

        private final int[] repetitions;
        private final Map<String, long[]> classes = new LinkedHashMap<>();
        private long[] seconds;
        private long[] interned;
        private long[] threads;
        private long[] connections;

        Run(int[] repetitions) {
            this.repetitions = repetitions;
            // Time in proportion to the repetitions, as a steady run's.
            this.seconds = java.util.Arrays.stream(repetitions).mapToLong(r -> r).toArray();
        }

        Run count(String jvmName, long... counts) {
            classes.put(jvmName, counts);
            return this;
        }

        Run seconds(long... at) {
            seconds = at;
            return this;
        }

        Run interned(long... counts) {
            interned = counts;
            return this;
        }

        Run threads(long... counts) {
            threads = counts;
            return this;
        }

        Run openConnections(long... counts) {
            connections = counts;
            return this;
        }

        List<ResourcePoint> points() {
            List<ResourcePoint> points = new ArrayList<>();
            for (int i = 0; i < repetitions.length; i++) {
                StringBuilder histogram = new StringBuilder(" num     #instances         #bytes  class name\n");
                int row = 1;
                for (Map.Entry<String, long[]> c : classes.entrySet()) {
                    histogram.append(String.format("%4d: %14d %14d  %s%n", row++, c.getValue()[i], 16 * c.getValue()[i],
                            c.getKey()));
                }
                int threadCount = threads == null ? 5 : (int) threads[i];
                long[] ids = new long[threadCount];
                String[] names = new String[threadCount];
                for (int t = 0; t < threadCount; t++) {
                    ids[t] = t + 1;
                    names[t] = "worker-" + t;
                }
                points.add(new ResourcePoint(repetitions[i], ClassHistogram.parse(histogram.toString()),
                        interned == null ? -1 : interned[i], connections == null ? 0 : connections[i],
                        new ResourcePoint.Threads(ids, names), 40, 0, 0, seconds[i] * 1_000_000_000L));
            }
            return points;
        }
    }
}
