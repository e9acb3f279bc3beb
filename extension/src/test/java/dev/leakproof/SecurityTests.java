package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.internal.FixtureCertificates;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/**
 * What Leakproof writes and says must not give anything away: heap dumps (which hold the whole
 * test JVM, the fixture's private key included) go into a directory only the user can enter and are
 * deleted after analysis, and reports and failure messages carry no key material.
 */
class SecurityTests {

    static final Path REPORTS = Path.of("target", "leak-reports");
    static final Path DUMPS = REPORTS.resolve("heap-dumps");

    /** Every connection's handler goes into a static map and stays: a leak with a path to trace. */
    static final Map<Object, Object> KEPT = new ConcurrentHashMap<>();

    static final class KeepingHandler extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext ctx;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            KEPT.put(ctx.channel().id(), this);
            ctx.fireChannelActive();
        }
    }

    static final class ForgettingHandler extends ChannelInboundHandlerAdapter {
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class LeakyTestCase {
        @ServerPipeline
        static KeepingHandler handler() {
            return new KeepingHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, keepHeapDump = true)
    static class KeptDumpTestCase {
        @ServerPipeline
        static KeepingHandler handler() {
            return new KeepingHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class CleanTestCase {
        @ServerPipeline
        static ForgettingHandler handler() {
            return new ForgettingHandler();
        }

        @Test
        void connections() {
        }
    }

    @AfterEach
    void forgetConnections() {
        KEPT.clear();
    }

    @Test
    void heapDumpsAreTakenInADirectoryOnlyTheUserCanEnterAndDeletedAfterAnalysis() throws IOException {
        // As an earlier version left it: created with the default permissions, readable by everyone.
        Files.createDirectories(DUMPS);
        Files.setPosixFilePermissions(DUMPS, PosixFilePermissions.fromString("rwxr-xr-x"));

        Events tests = TestKit.tests(LeakyTestCase.class);

        // A dump was taken: the path, or (on a machine too busy for the analysis' time limit) its skip,
        // but not a failed dump.
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("20 of 20 connections leaked") && m.contains("Reference path")
                        && !m.contains("the heap dump failed")))));
        assertThat(permissions(DUMPS)).as("permissions of %s after a leak trace", DUMPS).isEqualTo("rwx------");
        assertThat(dumpsOf(LeakyTestCase.class)).as("heap dumps of %s left in %s after analysis",
                LeakyTestCase.class.getSimpleName(), DUMPS).isEmpty();
    }

    @Test
    void aKeptHeapDumpIsReadableByItsOwnerOnlyInAnOwnerOnlyDirectory() throws IOException {
        Events tests = TestKit.tests(KeptDumpTestCase.class);
        List<Path> kept = dumpsOf(KeptDumpTestCase.class);
        try {
            assertThat(kept).as("the dump kept by keepHeapDump = true; failure: %s", TestKit.onlyFailureMessage(tests))
                    .hasSize(1);
            assertThat(permissions(kept.get(0))).isEqualTo("rw-------");
            assertThat(permissions(DUMPS)).isEqualTo("rwx------");
            // The class's reports next to it are for the user's group, a CI artifact step, a browser.
            Path reports = DUMPS.getParent();
            for (String report : List.of(KeptDumpTestCase.class.getName() + ".html", KeptDumpTestCase.class.getName() + ".json",
                    "index.html", "index.json")) {
                assertThat(permissions(reports.resolve(report))).as("permissions of %s", report).isEqualTo("rw-r--r--");
            }
        } finally {
            for (Path dump : kept) {
                Files.deleteIfExists(dump);
            }
        }
    }

    @Test
    void reportsAndMessagesOfALeakyAndACleanRunCarryNoKeyMaterial() throws IOException {
        Events leaky = TestKit.tests(LeakyTestCase.class);
        Events clean = TestKit.tests(CleanTestCase.class);
        clean.assertThatEvents().haveExactly(1, event(test("connections"), finishedSuccessfully()));

        List<String> texts = new ArrayList<>();
        for (Class<?> testCase : List.of(LeakyTestCase.class, CleanTestCase.class)) {
            for (String extension : List.of(".json", ".html")) {
                Path report = REPORTS.resolve(testCase.getName() + extension);
                assertThat(report).as("the report of %s", testCase.getSimpleName()).exists();
                texts.add(report + ":\n" + Files.readString(report, StandardCharsets.UTF_8));
            }
        }
        Stream.concat(leaky.failed().stream(), clean.failed().stream())
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::toString).orElse(""))
                .forEach(m -> texts.add("failure message:\n" + m));
        assertThat(texts).as("reports and messages read").hasSizeGreaterThanOrEqualTo(5);

        for (String secret : keyForms()) {
            for (String text : texts) {
                assertThat(text).as("key material (%s...) in %s", secret.substring(0, Math.min(12, secret.length())), text.lines().findFirst().orElse(""))
                        .doesNotContain(secret);
            }
        }
    }

    /** The fixture's private key as it could appear in text: PEM markers, base64 (both alphabets) and hex. */
    private static List<String> keyForms() {
        byte[] pkcs8 = FixtureCertificates.serverCertificate().privateKey().getEncoded();
        return List.of("PRIVATE KEY", Base64.getEncoder().encodeToString(pkcs8),
                Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8),
                // a line of a PEM body, in case a report wrapped it
                Base64.getMimeEncoder().encodeToString(pkcs8).lines().findFirst().orElseThrow(),
                HexFormat.of().formatHex(pkcs8), HexFormat.of().withUpperCase().formatHex(pkcs8));
    }

    private static List<Path> dumpsOf(Class<?> testCase) throws IOException {
        if (!Files.exists(DUMPS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DUMPS)) {
            return files.filter(p -> p.getFileName().toString().startsWith(testCase.getName())).toList();
        }
    }

    private static String permissions(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return PosixFilePermissions.toString(permissions);
    }
}
