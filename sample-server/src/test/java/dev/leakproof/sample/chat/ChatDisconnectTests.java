package dev.leakproof.sample.chat;

import static dev.leakproof.sample.chat.Waits.awaitHubEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a connection can end must remove its session from the hub and from every room. */
class ChatDisconnectTests {
    private ChatServer server;
    private ChatHub hub;

    @BeforeEach
    void startServer() throws IOException {
        server = ChatServer.start(ChatServerConfig.defaults());
        hub = server.hub();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void quitSaysByeAndRemovesTheSession() {
        assertEndingRemovesEverything(client -> {
            client.send("QUIT");
            assertThat(client.readLine()).isEqualTo("BYE");
            client.assertClosedByServer();
            client.close();
        });
    }

    @Test
    void aPeerCloseRemovesTheSession() {
        assertEndingRemovesEverything(ChatClient::close);
    }

    @Test
    void aTcpResetRemovesTheSession() {
        assertEndingRemovesEverything(ChatClient::reset);
    }

    @Test
    void closingTheServerRemovesEverySessionBeforeCloseReturns() {
        ChatClient alice = ChatClient.connect(server);
        ChatClient bob = ChatClient.connect(server);
        try {
            alice.login("alice");
            bob.login("bob");
            alice.join("lobby");
            bob.join("lobby");

            server.close();

            assertThat(hub.sessionCount()).isZero();
            assertThat(hub.roomCount()).isZero();
            assertThat(hub.connectionCount()).isZero();
            alice.assertClosedByServer();
        } finally {
            alice.reset();
            bob.reset();
        }
    }

    private void assertEndingRemovesEverything(Consumer<ChatClient> ending) {
        try (ChatClient stays = ChatClient.connect(server)) {
            stays.login("stays");
            stays.join("lobby");
            ChatClient leaves = ChatClient.connect(server);
            leaves.login("leaves");
            leaves.join("lobby");
            leaves.join("side");
            leaves.join("solo");
            assertThat(hub.sessionCount()).isEqualTo(2);
            assertThat(hub.roomCount()).isEqualTo(3);

            ending.accept(leaves);

            Waits.awaitAsserted("session of 'leaves' removed", () -> assertThat(hub).matches(
                    h -> h.sessionCount() == 1 && h.connectionCount() == 1, "one session and connection left"));
            assertThat(hub.roomCount()).as("rooms left").isEqualTo(1);
            assertThat(hub.members("lobby")).containsExactly("stays");
            assertThat(hub.sessions()).singleElement()
                    .satisfies(session -> assertThat(session.rooms()).containsExactly("lobby"));
            assertThat(stays.request("PING")).isEqualTo("PONG");
        }
        awaitHubEmpty(hub);
    }
}
