package dev.leakproof.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How setting values typed by hand are read: the forms each takes, and the words a wrong one gets
 * ({@code Setting} adds the key and the value to them).
 */
class ParsersTests {

    @Test
    void wholeNumbers() {
        assertThat(Parsers.wholeNumber(" 42 ")).isEqualTo(42);
        assertThat(Parsers.wholeNumber("-3")).isEqualTo(-3);
        for (String wrong : List.of("4.2", "", "ten", "99999999999")) {
            assertThatThrownBy(() -> Parsers.wholeNumber(wrong)).as(wrong).hasMessage("not a whole number");
        }
        assertThat(Parsers.atLeast(1, 1)).isEqualTo(1);
        assertThatThrownBy(() -> Parsers.atLeast(0, 1)).hasMessage("must be at least 1");
        assertThat(Parsers.between(64, 1, 64)).isEqualTo(64);
        assertThatThrownBy(() -> Parsers.between(65, 1, 64)).hasMessage("must be from 1 to 64");
        assertThatThrownBy(() -> Parsers.between(0, 1, 64)).hasMessage("must be from 1 to 64");
    }

    @Test
    void booleans() {
        assertThat(Parsers.bool(" TRUE ")).isTrue();
        assertThat(Parsers.bool("False")).isFalse();
        assertThatThrownBy(() -> Parsers.bool("yes")).hasMessage("expected true or false");
    }

    @ParameterizedTest
    @CsvSource({"8192, 8192", "8KB, 8192", "16 KiB, 16384", "1mb, 1048576", "2M, 2097152", "3k, 3072", "512B, 512",
        "1 MiB, 1048576", "-1, -1", "' 4 kb ', 4096"})
    void byteSizes(String raw, long bytes) {
        assertThat(Parsers.byteSize(raw)).isEqualTo(bytes);
    }

    @Test
    void aByteSizeIsPositiveOrMinusOne() {
        assertThatThrownBy(() -> Parsers.byteSize("0")).hasMessage("must be positive (or -1 for no budget)");
        assertThatThrownBy(() -> Parsers.byteSize("-2KB")).hasMessage("must be positive (or -1 for no budget)");
        for (String wrong : List.of("KB", "8 GB", "1.5MB", "eight", "")) {
            assertThatThrownBy(() -> Parsers.byteSize(wrong)).as(wrong).hasMessage("not a size: use e.g. 8192, 8KB or 1MB");
        }
        // Long.parseLong(v) * 1048576 wrapped round to a negative or a smaller positive size.
        assertThatThrownBy(() -> Parsers.byteSize("99999999999999MB"))
                .hasMessage("too large: a budget per connection is a few KB or MB");
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "5s, PT5S", "1.5s, PT1.5S", "2m, PT2M", "PT5S, PT5S", "pt1m30s, PT1M30S", "' 250 MS ', PT0.25S"})
    void durations(String raw, Duration expected) {
        assertThat(Parsers.positiveDuration(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5h", "ms", "s", "five seconds", "P1D", "1.5m", ""})
    void whatIsNotADurationSaysWhatIs(String raw) {
        assertThatThrownBy(() -> Parsers.positiveDuration(raw)).hasMessage("not a duration: use e.g. 500ms, 5s, 2m or PT5S");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0ms", "-PT1S", "PT0S", "-5s"})
    void aDurationMustBePositive(String raw) {
        assertThatThrownBy(() -> Parsers.positiveDuration(raw)).hasMessage("must be positive");
    }

    @Test
    void directories() {
        assertThat(Parsers.directory("target/leak-reports")).isEqualTo(Path.of("target/leak-reports"));
        assertThatThrownBy(() -> Parsers.directory("  ")).hasMessage("must name a directory");
    }

    @Test
    void aListIsSplitAtItsSeparatorOnly() {
        assertThat(Parsers.split("> LOGIN a | < OK |  | > QUIT")).containsExactly("> LOGIN a", "< OK", "> QUIT");
        assertThat(Parsers.split("a|b")).as("a bar without spaces belongs to the element").containsExactly("a|b");
        assertThat(Parsers.split("")).isEmpty();
    }

    @Test
    void patternsAreCheckedWhenRead() {
        assertThat(Parsers.patterns(List.of("com\\.example\\..*"))).extracting(Pattern::pattern)
                .containsExactly("com\\.example\\..*");
        assertThatThrownBy(() -> Parsers.patterns(List.of("ok.*", "com.example.(Cache"))).hasMessageStartingWith(
                "'com.example.(Cache' is not a regular expression: Unclosed group");
    }

    @Test
    void anExchangeTypedByHandIsNormalized() {
        assertThat(Parsers.exchange(List.of())).isEmpty();
        assertThat(Parsers.exchange(List.of(">LOGIN alice", "  <   OK  ", " ", "> QUIT")).orElseThrow().steps())
                .containsExactly("> LOGIN alice", "< OK", "> QUIT");
    }

    @Test
    void loadSteps() {
        assertThat(Parsers.numbers("")).isEmpty();
        assertThat(Parsers.numbers("100, 500,1000")).containsExactly(100, 500, 1000);
        assertThatThrownBy(() -> Parsers.numbers("100, many"))
                .hasMessage("'many' is not a connection count: use e.g. 100, 500, 1000");
        assertThat(Parsers.risingSteps(List.of(1, 2, 3))).containsExactly(1, 2, 3);
        for (List<Integer> wrong : List.of(List.of(100, 100), List.of(500, 100), List.of(0, 100), List.of(-1))) {
            assertThatThrownBy(() -> Parsers.risingSteps(wrong)).as(wrong.toString())
                    .hasMessage("load steps must be positive and rising, e.g. 100, 500, 1000");
        }
    }

    @Test
    void referencesHeldByDesign() {
        assertThat(Parsers.references(List.of("static com.example.Registry#CACHE", " com.example.Session#listener ")))
                .containsExactly(new ReferenceSpec("com.example.Registry", "CACHE", true),
                        new ReferenceSpec("com.example.Session", "listener", false));
        for (String wrong : List.of("com.example.Registry", "#CACHE", "com.example.Registry#", "static #x")) {
            assertThatThrownBy(() -> Parsers.references(List.of(wrong))).as(wrong).hasMessage("'" + wrong
                    + "' is not a reference: use com.example.Owner#field or static com.example.Owner#FIELD");
        }
    }

    @Test
    void serverNames() {
        assertThat(Parsers.serverName(" c{cycle}.leakproof.test ")).isEqualTo("c{cycle}.leakproof.test");
        assertThat(Parsers.serverName("localhost")).isEqualTo("localhost");
        assertThat(Parsers.serverName("a")).isEqualTo("a");
        for (String wrong : List.of("", "-leading", "trailing-", "two words", "under_score", "é.test", "{cycles}.test")) {
            assertThatThrownBy(() -> Parsers.serverName(wrong)).as(wrong).hasMessageStartingWith(
                    "'" + wrong + "' is not a host name: use letters, digits, dots and hyphens");
        }
    }

    @Test
    void requestPaths() {
        assertThat(Parsers.requestPath(" /leakproof/{cycle}?c={cycle} ")).isEqualTo("/leakproof/{cycle}?c={cycle}");
        for (String wrong : List.of("leakproof", "", "/a b", "/tab\there", "/caf\u00e9", "/line\r\nX-Evil: 1")) {
            assertThatThrownBy(() -> Parsers.requestPath(wrong)).as(wrong)
                    .hasMessageStartingWith("'" + wrong + "' is not a request path: it must start with /");
        }
    }

    @Test
    void headers() {
        assertThat(Parsers.headers(List.of("X-Tenant: t{cycle}", " ", "Accept:text/plain", "X-Time: 12:30")))
                .containsExactly(Map.entry("X-Tenant", "t{cycle}"), Map.entry("Accept", "text/plain"),
                        Map.entry("X-Time", "12:30"));
        for (String wrong : List.of("NoColon", ": empty name", "Two Words: x", "X-Evil: a\r\nInjected: b", "X-Nl: a\nb")) {
            assertThatThrownBy(() -> Parsers.headers(List.of(wrong))).as(wrong)
                    .hasMessage("'" + wrong + "' is not a header: use Name: value, e.g. X-Tenant: t{cycle}");
        }
    }
}
