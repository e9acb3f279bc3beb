package dev.leakproof.internal.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The index's paths compared with Shark's on the same dump, on every leak a test run traces, when
 * the build asks for it ({@code -Dleakproof.internal.sharkCrossCheck=true}, set for this project's
 * own test runs): the same signatures (count, path, root, holder, collection) or the leak check fails
 * with both lists. Every comparison is appended to {@code target/leak-trace-cross-check.log}, so a
 * run tells how many leaks were compared.
 *
 * <pre>{@code
 * SharkCrossCheck.compare(dump, targets, options, dumpStart, result, "com.example.MyTests");
 * }</pre>
 */
final class SharkCrossCheck {

    static final String PROPERTY = "leakproof.internal.sharkCrossCheck";
    private static final Path LOG = Path.of("target", "leak-trace-cross-check.log");

    private SharkCrossCheck() {
    }

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Compares the index's result with Shark's on the same dump; throws when they differ. */
    static void compare(Path dump, Targets targets, LeakTraces.Options options, long dumpStart, LeakTraces.Result index,
            String testClass) {
        if (index.skipped() != null) {
            return;
        }
        LeakTraces.Result shark = SharkReference.analyse(dump, targets, options, dumpStart);
        if (shark.skipped() != null) {
            log("skipped " + testClass + ": Shark " + shark.skipped());
            return;
        }
        List<String> ours = lines(index);
        List<String> theirs = lines(shark);
        boolean same = ours.equals(theirs);
        log((same ? "same " : "DIFFERENT ") + testClass + ": " + index.leakingObjects() + " objects, " + ours.size()
                + " signatures; index " + index.analysisMillis() + " ms, Shark " + shark.analysisMillis() + " ms"
                + (same ? "" : "\n  index: " + String.join("\n         ", ours) + "\n  Shark: " + String.join("\n         ", theirs)));
        if (!same) {
            throw new IllegalStateException("the index's leak paths differ from Shark's on the same heap dump ("
                    + testClass + "):\n  index: " + String.join("\n         ", ours) + "\n  Shark: "
                    + String.join("\n         ", theirs));
        }
    }

    /** A result's signatures as comparable lines, and its object count. */
    static List<String> lines(LeakTraces.Result result) {
        List<String> lines = new ArrayList<>();
        lines.add(result.leakingObjects() + " objects, " + result.retainedBuffers() + " buffers");
        for (LeakTraces.Signature s : result.signatures()) {
            GrowingCollection c = s.collection();
            lines.add(s.count() + " | " + s.path() + " | " + s.gcRoot() + " | accepted " + s.accepted() + " | " + s.holder()
                    + " | " + s.rootReference() + (c == null ? "" : " | collection " + c.way() + " " + c.collectionClass()
                    + " " + c.fieldName() + " entries " + c.entries() + "/" + c.entriesSeen() + " " + c.held() + " keys "
                    + c.keys() + " threads " + c.threads() + " channels " + c.openChannels() + "/" + c.closedChannels()));
        }
        return lines;
    }

    private static synchronized void log(String line) {
        try {
            Files.createDirectories(LOG.getParent());
            Files.writeString(LOG, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for people; the comparison itself has decided
        }
    }
}
