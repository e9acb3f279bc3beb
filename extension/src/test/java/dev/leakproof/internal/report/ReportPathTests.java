package dev.leakproof.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.internal.config.ConfigSource;
import dev.leakproof.internal.config.LeakSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A report's file name comes from its test class's name; whatever that name holds (a display name
 * or a future name could hold anything), the file stays inside the report directory.
 */
class ReportPathTests {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"../../../../tmp/escaped", "..", ".", "/etc/passwd", "a/../../b", "..\\..\\windows",
        "C:\\Windows\\evil", "~/.bashrc", "dev.leakproof.Foo$Bar Baz", "名前のテスト", "nul\u0000byte", "line\nbreak", "",
        "%2e%2e%2fencoded", ".hidden"})
    void aHostileNameStaysInsideTheReportDirectory(String name) throws IOException {
        Path reports = dir.resolve("reports");
        ClassReport report = new ClassReport(name, settings(reports), "JDK");

        for (Path file : List.of(report.htmlPath(), report.jsonPath())) {
            assertThat(file.toAbsolutePath().normalize().getParent()).as("directory of the report for '%s'", name)
                    .isEqualTo(reports.toAbsolutePath().normalize());
            assertThat(file.getFileName().toString()).as("file name for '%s'", name)
                    .matches("[A-Za-z0-9_$-][A-Za-z0-9._$-]*\\.(html|json)");
        }
        report.write();
        try (Stream<Path> written = Files.walk(dir)) {
            assertThat(written.filter(Files::isRegularFile).toList()).as("files written for '%s'", name)
                    .containsExactlyInAnyOrder(report.htmlPath(), report.jsonPath(), reports.resolve("index.html"),
                            reports.resolve("index.json"), reports.resolve(".index.lock")); // the run's index, always these names
        }
    }

    @Test
    void aClassNameIsItsOwnFileName() {
        String name = "dev.leakproof.sample.chat.ChatServerMemoryTests$ChatServerMemoryTestCase";
        ClassReport report = new ClassReport(name, settings(dir), "JDK");
        assertThat(report.jsonPath()).isEqualTo(dir.resolve(name + ".json"));
        assertThat(report.htmlPath()).isEqualTo(dir.resolve(name + ".html"));
    }

    @Test
    void namesThatDifferOnlyInReplacedCharactersGetTheirOwnFiles() {
        Path a = new ClassReport("com.example.Tést", settings(dir), "JDK").jsonPath();
        Path b = new ClassReport("com.example.Tèst", settings(dir), "JDK").jsonPath();
        Path c = new ClassReport("com.example.T_st", settings(dir), "JDK").jsonPath();
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
    }

    @Test
    void aVeryLongNameIsShortenedToWhatAFileSystemTakes() throws IOException {
        String name = "x".repeat(1000);
        ClassReport report = new ClassReport(name, settings(dir), "JDK");
        assertThat(report.htmlPath().getFileName().toString().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
        report.write();
        assertThat(report.htmlPath()).exists();
    }

    private static LeakSettings settings(Path reportDirectory) {
        return LeakSettings.resolve(new ConfigSource(key -> key.equals(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME)
                ? Optional.of(reportDirectory.toString()) : Optional.empty()));
    }
}
