package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatServerLifecycleTests {

    @Test
    void closeLeavesNoEventLoopThreadAlive() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ChatServer server = ChatServer.start(ChatServerConfig.defaults());
        try (ChatClient client = ChatClient.connect(server)) {
            client.login("alice");
        }
        List<Thread> started = newThreads(before);
        assertThat(started).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("chat-boss"))
                .anyMatch(name -> name.startsWith("chat-worker"));

        server.close();

        assertThat(started).filteredOn(Thread::isAlive).as("threads alive after close()").isEmpty();
        // Netty notifies event-loop termination on its shared GlobalEventExecutor, which starts a thread on
        // demand and lets it end by itself about a second after its last task: not ours, but it must go too.
        assertThat(newThreads(before)).as("threads started by close()")
                .allSatisfy(thread -> assertThat(thread.getName()).startsWith("globalEventExecutor-"));
        Waits.awaitAsserted("Netty's global executor thread ended",
                () -> assertThat(newThreads(before)).map(ChatServerLifecycleTests::describe).isEmpty());
    }

    @Test
    void closeIsIdempotent() throws IOException {
        ChatServer server = ChatServer.start(ChatServerConfig.defaults());
        server.close();
        server.close();
    }

    @Test
    void aFailedBindThrowsAndLeavesNoThreadBehind() throws IOException {
        try (ChatServer first = ChatServer.start(ChatServerConfig.defaults())) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ChatServerConfig samePort = ChatServerConfig.builder().port(first.port()).build();

            assertThatThrownBy(() -> ChatServer.start(samePort)).isInstanceOf(BindException.class);
            assertThat(newThreads(before)).filteredOn(thread -> thread.getName().startsWith("chat-")).isEmpty();
        }
    }

    @Test
    void anEphemeralPortIsChosenAndReported() throws IOException {
        try (ChatServer server = ChatServer.start(ChatServerConfig.defaults())) {
            assertThat(server.port()).isPositive();
            assertThat(server.config().port()).isZero();
        }
    }

    @Test
    void commandLineOptionsBecomeTheConfiguration() {
        assertThat(ChatServer.parseArguments()).isEqualTo(ChatServerConfig.builder().port(7443).build());
        assertThat(ChatServer.parseArguments("--port", "0", "--host", "localhost", "--max-connections", "5",
                "--heartbeat-seconds", "2", "--idle-seconds", "9"))
                .isEqualTo(new ChatServerConfig("localhost", 0, Duration.ofSeconds(2), Duration.ofSeconds(9), 5,
                        ChatServerConfig.DEFAULT_MAX_LINE_LENGTH));
        assertThatThrownBy(() -> ChatServer.parseArguments("--port")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> ChatServer.parseArguments("--port", "x")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ChatServer.parseArguments("--verbose", "1")).hasMessageContaining("unknown option");
    }

    private static String describe(Thread thread) {
        StringBuilder text = new StringBuilder(thread.getName()).append(" ").append(thread.getState());
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("\n    at ").append(frame);
        }
        return text.toString();
    }

    private static List<Thread> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .toList();
    }
}
