package dev.leakproof.internal.check;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.heap.ClassGrowth;
import dev.leakproof.internal.heap.ClassHistogram;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Once per class, when {@code growthCycles} is set: classes whose live instance count grows in
 * proportion to the connection cycles (K, then 2K cycles after a warm-up). Catches shared
 * structures that grow per connection without holding a tracked object.
 *
 * <pre>{@code
 * List<Finding> findings = new ClassGrowthCheck().run(classWindow);
 * }</pre>
 */
public final class ClassGrowthCheck implements Check {

    /** The growth check's result for the report: the growing classes and the step length. */
    public record Table(List<ClassGrowth.Growth> growing, int cyclesPerStep) {
    }

    private static final int MAX_CLASSES = 8;

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        int step = settings.get(Settings.GROWTH_CYCLES);
        if (step <= 0) {
            return List.of();
        }
        try (ConnectionDriver driver = window.session().newDriver()) {
            driver.run(Math.max(settings.get(Settings.CONCURRENCY), step)); // warm-up: first-use caches fill here
            ClassHistogram warm = histogramAfterCycles(window);
            driver.run(step);
            ClassHistogram afterOne = histogramAfterCycles(window);
            driver.run(2 * step);
            ClassHistogram afterTwo = histogramAfterCycles(window);
            List<ClassGrowth.Growth> growing = ClassGrowth.growing(warm, afterOne, afterTwo, step,
                    settings.get(Settings.GROWTH_ALLOWLIST), window.session().tracker().trackedClasses());
            Table table = new Table(growing, step);
            return List.of(growing.isEmpty() ? Finding.measured(Finding.Kind.CLASS_GROWTH, table)
                    : Finding.leak(Finding.Kind.CLASS_GROWTH, message(growing, step), 0, Map.of()).withEvidence(table));
        }
    }

    /**
     * A live histogram once the server has seen every close and the tracker has dropped the
     * references the GC cleared: the detector's own bookkeeping must not look like growth.
     */
    private static ClassHistogram histogramAfterCycles(Window window) {
        window.session().server().awaitNoOpenConnections(window.session().settings().get(Settings.GRACE_PERIOD));
        GcForcer.fullGc();
        window.session().tracker().expungeCleared();
        return ClassHistogram.take();
    }

    static String message(List<ClassGrowth.Growth> growing, int step) {
        String classes = growing.stream().limit(MAX_CLASSES)
                .map(g -> String.format(Locale.ROOT, "%s +%d, +%d (%.2f per cycle)", g.className(), g.firstStep(),
                        g.secondStep(), g.perCycle()))
                .collect(Collectors.joining("; "));
        return growing.size() + (growing.size() == 1 ? " class grows" : " classes grow")
                + " in proportion to the connection cycles (live instances added by " + step + " and then by "
                + (2 * step) + " more cycles, after a warm-up): " + classes + "."
                + "\n  What to do next: a shared structure gains entries per connection and never loses them (a map "
                + "keyed by client, a list of past sessions, a listener list). If it is bounded by design, add its "
                + "class to growthAllowlist.";
    }
}
