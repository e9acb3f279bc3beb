package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChatServerConfigTests {

    @Test
    void defaultsMatchTheDocumentation() {
        ChatServerConfig config = ChatServerConfig.defaults();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxConnections()).isEqualTo(1000);
        assertThat(config.maxLineLength()).isEqualTo(1024);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> ChatServerConfig.builder().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> ChatServerConfig.builder().maxConnections(0).build())
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> ChatServerConfig.builder().idleTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> ChatServerConfig.builder().heartbeatInterval(null).build())
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> ChatServerConfig.builder().host(" ").build()).hasMessageContaining("host");
    }
}
