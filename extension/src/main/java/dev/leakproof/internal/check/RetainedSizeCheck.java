package dev.leakproof.internal.check;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.finding.Place;
import dev.leakproof.internal.size.JolSupport;
import dev.leakproof.internal.size.RetainedSize;
import dev.leakproof.internal.size.RetainedSizeMeasurement;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.text.ClassNames;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Once per class, when {@code maxRetainedPerConnection} is set: the server-side memory of an open
 * connection against its budget (JOL, cross-checked with the heap's slope, the client in another
 * JVM), and memory must return after the connections close.
 *
 * <pre>{@code
 * List<Finding> findings = new RetainedSizeCheck().run(classWindow);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RetainedSizeCheck implements Check {

    /** Why the measurement was skipped (JOL cannot measure in this JVM), for the report. */
    public record Skipped(String reason) implements Evidence {

        @Override
        public void json(JsonWriter json) {
            json.field("retainedSizeSkipped").string(reason);
        }

        @Override
        public void html(StringBuilder html, Place place) {
            html.append("<h2>Memory per open connection</h2>\n<p>Skipped: ").append(Place.esc(reason)).append("</p>\n");
        }
    }

    private static final double DISAGREEMENT_NOTED = 0.15;
    /**
     * What a clean JVM's heap may keep after its connections closed, whatever their number: code that
     * ran for the first time during the measurement (classes' constants, lambdas, interned strings).
     * Measured with a clean class: 27 KB (JDK 17) and 41 KB (Temurin 25) in a JVM's first measurement,
     * 5-12 KB in later ones; at 20 connections the first is 1.3-2 KB each, up to the per-connection bar
     * (RELIABILITY.md). It decides only under 128 connections.
     */
    static final long RESIDUAL_NOISE_BYTES = 128 * 1024;
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        long budget = settings.get(Settings.MAX_RETAINED_PER_CONNECTION);
        if (budget <= 0) {
            return List.of();
        }
        Optional<String> jolProblem = JolSupport.problem();
        if (jolProblem.isPresent()) {
            if (settings.isExplicit(Settings.MAX_RETAINED_PER_CONNECTION)) {
                return List.of(Finding.leak(Finding.Kind.RETAINED_SIZE,
                        "Retained size per connection cannot be measured: " + jolProblem.get() + ".", 0, Map.of()));
            }
            // Set for the whole run by a configuration parameter: skipped, in the report and once per JVM on the
            // console, so that a budget nobody checks is noticed without a warning per class.
            if (SKIP_ANNOUNCED.compareAndSet(false, true)) {
                System.err.println("Leakproof: " + Settings.MAX_RETAINED_PER_CONNECTION.key() + " is not checked in this "
                        + "JVM (each class's report says so too): " + jolProblem.get());
            }
            return List.of(Finding.measured(Finding.Kind.RETAINED_SIZE, new Skipped(jolProblem.get())));
        }
        ConnectionTracker tracker = window.session().tracker();
        // The tracker's own references would be counted as the connections' memory.
        tracker.pause(true);
        RetainedSize size;
        try {
            size = RetainedSizeMeasurement.measure(window.session().server(),
                    settings.get(Settings.RETAINED_SIZE_CONNECTIONS), window.session().exchange(),
                    tracker.connectionObjectClasses()).withBudget(budget);
        } finally {
            tracker.pause(false);
        }
        List<String> problems = new ArrayList<>();
        if (size.jolBytesPerConnection() > budget) {
            problems.add(overBudget(size, budget));
        }
        double returnTolerance = Math.max(Math.max(0.25 * size.jolBytesPerConnection(), 1024),
                RESIDUAL_NOISE_BYTES / (double) size.connections());
        // What stayed, for tools: the heap the closed connections did not give back (a budget exceeded while
        // they were open left nothing behind).
        Map<String, Long> left = Map.of();
        if (size.residualBytesPerConnection() > returnTolerance) {
            problems.add(memoryNotReturned(size));
            left = Map.of("heap bytes not returned", Math.round(size.residualBytesPerConnection() * size.connections()));
        }
        List<Finding> findings = new ArrayList<>();
        findings.add(problems.isEmpty() ? Finding.measured(Finding.Kind.RETAINED_SIZE, size)
                : Finding.leak(Finding.Kind.RETAINED_SIZE, String.join("\n\n", problems), 0, left).withEvidence(size));
        if (size.disagreement() > DISAGREEMENT_NOTED) {
            findings.add(Finding.note(Finding.Kind.RETAINED_SIZE, disagreement(size)));
        }
        return findings;
    }

    static String overBudget(RetainedSize size, long budget) {
        String top = size.topClasses().stream().limit(6)
                .map(c -> ClassNames.simple(ClassNames.fromJvmName(c.className())) + " " + Bytes.format(c.bytesPerConnection()))
                .collect(Collectors.joining(", "));
        return "retained " + Bytes.format(size.jolBytesPerConnection()) + " per connection, budget "
                + Bytes.format(budget) + " (JOL " + Bytes.format(size.jolBytesPerConnection()) + ", heap slope "
                + Bytes.format(size.heapSlopeBytesPerConnection()) + ", " + size.connections()
                + " connections held open from another JVM); top classes per connection: " + top + "."
                + (size.disagreement() > DISAGREEMENT_NOTED ? "\n  " + disagreement(size) : "")
                + "\n  What to do next: look at what each connection keeps while it is open (buffers sized for the "
                + "largest message, per-connection caches, copies of shared data), or raise the budget if the cost is intended.";
    }

    static String memoryNotReturned(RetainedSize size) {
        return "memory did not return after the connections closed: " + Bytes.format(size.residualBytesPerConnection())
                + " per connection still in use (used heap after a full GC, after all " + size.connections()
                + " closed, against before any opened; an open connection retains "
                + Bytes.format(size.jolBytesPerConnection()) + ")."
                + "\n  What to do next: something shared grows per connection and does not shrink when it closes: "
                + "a registry, a cache, statistics by client; add @GrowthRun(cycles = 1000) to see which class grows.";
    }

    static String disagreement(RetainedSize size) {
        return String.format(Locale.ROOT, "JOL (%s) and the heap slope (%s) disagree by %.0f %%: memory outside "
                + "the connections' object graphs changes with the number of connections (a shared structure that "
                + "grows with them, or other work in this JVM during the measurement).",
                Bytes.format(size.jolBytesPerConnection()), Bytes.format(size.heapSlopeBytesPerConnection()),
                size.disagreement() * 100);
    }
}
