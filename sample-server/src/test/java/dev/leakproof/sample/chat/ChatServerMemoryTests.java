package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.GrowthRun;
import dev.leakproof.LeakTracker;
import dev.leakproof.RetainedSizeBudget;
import dev.leakproof.ServerPipeline;
import dev.leakproof.StepLoad;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What a logged-in chat connection costs while it is open, and whether everything comes back when
 * it closes: retained size per connection (JOL, cross-checked with the heap's slope), class
 * histogram growth, and the step load of long-lived connection services with heartbeats running. The checks run once per
 * class, so the class runs through the engine here and its report is read back.
 */
class ChatServerMemoryTests {

    @DetectConnectionLeaks(cycles = 200, concurrency = 8,
            exchange = {"> LOGIN member{cycle}", "< OK welcome", "> JOIN lobby", "< OK joined"})
    @RetainedSizeBudget(perConnection = "32KB", connections = 200)
    @GrowthRun(cycles = 500)
    @StepLoad(steps = {100, 500, 1000}, hold = "1s")
    static class ChatServerMemoryTestCase {
        static final ChatHub HUB = new ChatHub();

        @ServerPipeline
        static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
            HUB.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
            // Connections are held open from another JVM for the whole measurement (the retained size
            // and the step load), which takes minutes on a loaded machine, and they never answer
            // heartbeats: a 30 s idle timeout closed them mid-measurement. Heartbeats keep running.
            return new ChatServerInitializer(ChatServerConfig.builder()
                    .heartbeatInterval(Duration.ofMillis(100))
                    .idleTimeout(Duration.ofMinutes(30))
                    .maxConnections(2000)
                    .build(), HUB);
        }

        @Test
        void loggedInMembersOfOneRoom() {
            // the class's exchange, driven for the configured cycles by the extension
        }
    }

    @Test
    void aLoggedInConnectionStaysUnderItsBudgetAndEverythingComesBack() throws Exception {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ChatServerMemoryTestCase.class)).execute();
        assertThat(results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("?"))
                .toList()).as("failures").isEmpty();

        String json = Files.readString(Path.of("target/leak-reports", ChatServerMemoryTestCase.class.getName() + ".json"));
        double jol = number(json, "jolBytesPerConnection");
        double heapSlope = number(json, "heapSlopeBytesPerConnection");
        assertThat(number(json, "disagreement")).as("JOL %s B and heap slope %s B per connection", jol, heapSlope)
                .isLessThan(0.15);
        assertThat(jol).isBetween(2_000.0, 32 * 1024.0);
        assertThat(json).as("no class grows with the cycles").containsPattern("\"growingClasses\": \\[\\s*\\]");
        // Only the steps: the baseline and the state after close write nothing and say -1. A step's -1
        // means nothing was written during its hold (its connections were gone), not that heartbeats
        // are free; it is matched too, so that the message shows it instead of a count one short.
        assertThat(json).as("the step load in the report").contains("\"steps\": [", "\"afterClose\"");
        String steps = json.substring(json.indexOf("\"steps\": ["), json.indexOf("\"afterClose\""));
        List<Long> perHeartbeat = Pattern.compile("\"allocatedBytesPerWrite\": (-?[0-9]+)").matcher(steps).results()
                .map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(perHeartbeat).as("allocation per heartbeat at each of the 3 steps").hasSize(3);
        assertThat(perHeartbeat).as("bytes allocated per heartbeat at the 3 steps (-1: no heartbeat was written "
                + "during the hold, the connections had closed; see the step load in the report)")
                .allMatch(bytes -> bytes > 0);
        assertThat(ChatServerMemoryTestCase.HUB.sessionCount()).isZero();
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (-?[0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
