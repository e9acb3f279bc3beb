package dev.leakproof.sample.chat;

import static dev.leakproof.sample.chat.Waits.awaitHubEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionLimitTests {
    private static final int MAX = 3;

    private ChatServer server;
    private ChatHub hub;
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = ChatServer.start(ChatServerConfig.builder().maxConnections(MAX).build());
        hub = server.hub();
    }

    @AfterEach
    void stopServer() {
        clients.forEach(ChatClient::reset);
        server.close();
    }

    private ChatClient connect() {
        ChatClient client = ChatClient.connect(server);
        clients.add(client);
        return client;
    }

    @Test
    void theConnectionAfterTheCapIsRefusedWithoutASessionAndOneIsAdmittedAgainAfterAClose() {
        List<ChatClient> admitted = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            ChatClient client = connect();
            client.login("user" + i);
            admitted.add(client);
        }

        ChatClient refused = connect();
        assertThat(refused.readLine()).isEqualTo("ERR server full");
        refused.assertClosedByServer();
        assertThat(hub.sessionCount()).isEqualTo(MAX);
        assertThat(hub.connectionCount()).isEqualTo(MAX);

        admitted.get(0).close();
        Waits.awaitAsserted("a slot freed", () -> assertThat(hub.connectionCount()).isEqualTo(MAX - 1));

        ChatClient again = connect();
        again.login("again");
        assertThat(hub.sessionCount()).isEqualTo(MAX);
    }

    @Test
    void theCountReturnsToZeroWhateverEndedTheConnections() {
        for (int round = 0; round < 3; round++) {
            ChatClient quits = connect();
            ChatClient closes = connect();
            ChatClient resets = connect();
            ChatClient refused = connect();
            assertThat(refused.readLine()).isEqualTo("ERR server full");

            quits.send("QUIT");
            assertThat(quits.readLine()).isEqualTo("BYE");
            closes.close();
            resets.reset();

            awaitHubEmpty(hub);
        }
        // Full capacity is still available: no slot was lost on any path.
        for (int i = 0; i < MAX; i++) {
            connect().login("user" + i);
        }
    }
}
