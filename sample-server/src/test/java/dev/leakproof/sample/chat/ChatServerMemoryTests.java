package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What a logged-in chat connection costs while it is open, and whether everything comes back when
 * it closes: retained size per connection (JOL, cross-checked with the heap's slope), class
 * histogram growth, and seed 004's step load with heartbeats running. The checks run once per
 * class, so the class runs through the engine here and its report is read back.
 */
class ChatServerMemoryTests {

    @DetectConnectionLeaks(cycles = 200, concurrency = 8,
            exchange = {"> LOGIN member{cycle}", "< OK welcome", "> JOIN lobby", "< OK joined"},
            maxRetainedPerConnection = "32KB", retainedSizeConnections = 200,
            growthCycles = 500,
            loadSteps = {100, 500, 1000}, loadStepHold = "1s")
    static class ChatServerMemoryTestCase {
        static final ChatHub HUB = new ChatHub();

        @ServerPipeline
        static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
            HUB.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
            return new ChatServerInitializer(ChatServerConfig.builder()
                    .heartbeatInterval(Duration.ofMillis(100))
                    .idleTimeout(Duration.ofSeconds(30))
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
        Matcher perHeartbeat = Pattern.compile("\"allocatedBytesPerWrite\": ([0-9]+)").matcher(json);
        assertThat(perHeartbeat.results().count()).as("allocation per heartbeat at each of the 3 steps").isEqualTo(3);
        assertThat(ChatServerMemoryTestCase.HUB.sessionCount()).isZero();
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\": (-?[0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
