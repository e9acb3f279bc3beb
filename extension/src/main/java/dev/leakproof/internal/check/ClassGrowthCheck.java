package dev.leakproof.internal.check;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthPlan;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Once per class, when {@code growthCycles} is set: a run of its own, longer than the tests' runs,
 * judged by growth per connection exactly as every driven run is ({@link DrivenRunGrowth}: the same
 * judge, message and report section), with steps of {@code growthCycles} cycles. For a rarer leak
 * than a test's run can show (one in every {@code growthCycles / 5} connections at the least).
 *
 * <pre>{@code
 * List<Finding> findings = new ClassGrowthCheck().run(classWindow);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassGrowthCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        int step = settings.get(Settings.GROWTH_CYCLES);
        if (step <= 0) {
            return List.of();
        }
        // A warm-up as long as a step (at least the concurrency): first-use caches fill there.
        GrowthPlan plan = new GrowthPlan(Math.max(GrowthPlan.MIN_WARM_UP, Math.max(settings.get(Settings.CONCURRENCY), step)),
                Math.max(GrowthPlan.MIN_STEP, step));
        List<Finding> findings = new ArrayList<>();
        try (ConnectionDriver driver = window.session().newDriver(
                new DrivenRunGrowth(window.session(), findings::add, plan))) {
            driver.run(plan.confirmingPoint());
        }
        return findings;
    }
}
