package dev.leakproof.sample.chat;

import static dev.leakproof.sample.chat.Waits.awaitHubEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChatHeartbeatTests {

    @Test
    void theServerPingsAClientItHasNothingElseToSay() throws IOException {
        ChatServerConfig config = ChatServerConfig.builder()
                .heartbeatInterval(Duration.ofMillis(200))
                .build();
        try (ChatServer server = ChatServer.start(config); ChatClient client = ChatClient.connect(server)) {
            client.send("LOGIN alice");
            assertThat(client.readLineSkippingPings()).isEqualTo("OK welcome alice");
            long start = System.nanoTime();

            assertThat(client.readLine()).isEqualTo("PING");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.readLine()).as("and again while it stays quiet").isEqualTo("PING");
        }
    }

    @Test
    void aClientThatAnswersPingsIsNotIdle() throws IOException {
        ChatServerConfig config = ChatServerConfig.builder()
                .heartbeatInterval(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(600))
                .build();
        try (ChatServer server = ChatServer.start(config); ChatClient client = ChatClient.connect(server)) {
            long end = System.nanoTime() + Duration.ofMillis(1800).toNanos();
            while (System.nanoTime() < end) {
                assertThat(client.readLine()).isEqualTo("PING");
                client.send("PONG");
            }

            client.send("PING");
            assertThat(client.readLineSkippingPings()).as("still connected after three idle timeouts")
                    .isEqualTo("PONG");
            assertThat(server.hub().sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void aSilentClientIsToldAndDisconnectedAfterTheIdleTimeout() throws IOException {
        ChatServerConfig config = ChatServerConfig.builder()
                .heartbeatInterval(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(400))
                .build();
        try (ChatServer server = ChatServer.start(config); ChatClient client = ChatClient.connect(server)) {
            client.send("LOGIN alice");
            assertThat(client.readLineSkippingPings()).isEqualTo("OK welcome alice");
            client.send("JOIN lobby");
            assertThat(client.readLineSkippingPings()).isEqualTo("OK joined lobby");
            long start = System.nanoTime();

            assertThat(client.readLineSkippingPings()).isEqualTo("BYE idle timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            client.assertClosedByServer();
            awaitHubEmpty(server.hub());
        }
    }
}
