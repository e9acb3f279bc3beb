package dev.leakproof.sample.chat;

import static dev.leakproof.sample.chat.Waits.awaitHubEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatProtocolTests {
    private ChatServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = ChatServer.start(ChatServerConfig.defaults());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void publishReachesEveryMemberIncludingTheSenderAndNoOneElse() {
        try (ChatClient alice = ChatClient.connect(server);
                ChatClient bob = ChatClient.connect(server);
                ChatClient carol = ChatClient.connect(server)) {
            alice.login("alice");
            bob.login("bob");
            carol.login("carol");
            alice.join("lobby");
            bob.join("lobby");
            carol.join("other");

            alice.send("PUB lobby hello there, bob");

            assertThat(alice.readLine()).isEqualTo("MSG lobby alice hello there, bob");
            assertThat(bob.readLine()).isEqualTo("MSG lobby alice hello there, bob");
            // The next line carol sees is the answer to her own PING: the message never reached her.
            assertThat(carol.request("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void publishingToARoomTheSenderIsNotInIsRefused() {
        try (ChatClient alice = ChatClient.connect(server); ChatClient bob = ChatClient.connect(server)) {
            alice.login("alice");
            bob.login("bob");
            bob.join("lobby");

            assertThat(alice.request("PUB lobby hi")).isEqualTo("ERR not in lobby");
            assertThat(bob.request("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void membersAreListedSortedByName() {
        try (ChatClient carol = ChatClient.connect(server);
                ChatClient alice = ChatClient.connect(server);
                ChatClient bob = ChatClient.connect(server)) {
            carol.login("carol");
            alice.login("alice");
            bob.login("bob");
            carol.join("lobby");
            alice.join("lobby");
            bob.join("lobby");

            assertThat(carol.request("MEMBERS lobby")).isEqualTo("MEMBERS lobby alice,bob,carol");
            assertThat(carol.request("MEMBERS empty")).isEqualTo("MEMBERS empty");
            assertThat(server.hub().members("lobby")).containsExactly("alice", "bob", "carol");
        }
    }

    @Test
    void aNameIsUniqueAmongLoggedInSessionsAndFreedWhenItsSessionEnds() {
        try (ChatClient first = ChatClient.connect(server); ChatClient second = ChatClient.connect(server)) {
            first.login("alice");

            assertThat(second.request("LOGIN alice")).isEqualTo("ERR name taken");
            assertThat(first.request("LOGIN other")).isEqualTo("ERR already logged in");

            first.send("QUIT");
            assertThat(first.readLine()).isEqualTo("BYE");
            Waits.awaitUntil("alice's session removed", () -> server.hub().sessionCount() == 1);
            second.login("alice");
        }
    }

    @Test
    void invalidNamesAndRoomsAreRefused() {
        try (ChatClient client = ChatClient.connect(server)) {
            assertThat(client.request("LOGIN")).startsWith("ERR invalid name");
            assertThat(client.request("LOGIN two words")).startsWith("ERR invalid name");
            assertThat(client.request("LOGIN " + "a".repeat(33))).startsWith("ERR invalid name");
            client.login("Alice_the-2nd");
            assertThat(client.request("JOIN bad/room")).startsWith("ERR invalid room");
            assertThat(client.request("PUB lobby")).isEqualTo("ERR usage: PUB <room> <text>");
        }
    }

    @Test
    void onlyLoginPingAndQuitWorkBeforeLogin() {
        try (ChatClient client = ChatClient.connect(server)) {
            assertThat(client.request("JOIN lobby")).isEqualTo("ERR login first");
            assertThat(client.request("LEAVE lobby")).isEqualTo("ERR login first");
            assertThat(client.request("PUB lobby hi")).isEqualTo("ERR login first");
            assertThat(client.request("MEMBERS lobby")).isEqualTo("ERR login first");
            assertThat(client.request("PING")).isEqualTo("PONG");
            assertThat(server.hub().roomCount()).isZero();

            client.send("QUIT");
            assertThat(client.readLine()).isEqualTo("BYE");
            client.assertClosedByServer();
        }
    }

    @Test
    void unknownCommandsAreRefused() {
        try (ChatClient client = ChatClient.connect(server)) {
            assertThat(client.request("HELLO")).isEqualTo("ERR unknown command");
            client.login("alice");
            assertThat(client.request("join lobby")).isEqualTo("ERR unknown command");
        }
    }

    @Test
    void leaveRemovesTheSessionFromTheRoomAndDropsTheEmptyRoom() {
        try (ChatClient alice = ChatClient.connect(server); ChatClient bob = ChatClient.connect(server)) {
            alice.login("alice");
            bob.login("bob");
            alice.join("lobby");
            bob.join("lobby");

            assertThat(alice.request("LEAVE lobby")).isEqualTo("OK left lobby");
            assertThat(alice.request("LEAVE lobby")).isEqualTo("ERR not in lobby");
            assertThat(server.hub().members("lobby")).containsExactly("bob");
            assertThat(alice.request("PUB lobby hi")).isEqualTo("ERR not in lobby");

            bob.send("PUB lobby still here");
            assertThat(bob.readLine()).isEqualTo("MSG lobby bob still here");
            assertThat(alice.request("PING")).isEqualTo("PONG");

            assertThat(bob.request("LEAVE lobby")).isEqualTo("OK left lobby");
            assertThat(server.hub().roomCount()).isZero();
            assertThat(server.hub().sessions()).allSatisfy(session -> assertThat(session.rooms()).isEmpty());
        }
    }

    @Test
    void aLineOfTheMaximumLengthIsAcceptedAndOneByteMoreClosesTheConnection() {
        try (ChatClient client = ChatClient.connect(server)) {
            client.login("alice");
            client.join("lobby");
            String prefix = "PUB lobby ";
            String longest = prefix + "x".repeat(ChatServerConfig.DEFAULT_MAX_LINE_LENGTH - prefix.length());

            assertThat(client.request(longest))
                    .isEqualTo("MSG lobby alice " + longest.substring(prefix.length()));

            assertThat(client.request(longest + "x")).isEqualTo("ERR line too long");
            client.assertClosedByServer();
        }
        awaitHubEmpty(server.hub());
    }

    @Test
    void textIsUtf8() {
        try (ChatClient client = ChatClient.connect(server)) {
            client.login("alice");
            client.join("lobby");

            assertThat(client.request("PUB lobby grüße ✓")).isEqualTo("MSG lobby alice grüße ✓");
        }
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedAndTheConnectionGoesOn() {
        try (ChatClient client = ChatClient.connect(server)) {
            client.login("alice");
            client.join("lobby");

            client.sendBytes("PUB lobby caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.readLine()).as("Latin-1 text").isEqualTo("ERR invalid UTF-8");
            assertThat(client.request("PUB lobby caf\u00e9")).isEqualTo("MSG lobby alice caf\u00e9");
            assertThat(server.hub().refusals(ChatHub.Refusal.INVALID_UTF8)).isEqualTo(1);
        }
    }
}
