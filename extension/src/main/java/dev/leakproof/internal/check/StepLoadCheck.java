package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.size.StepLoad;
import dev.leakproof.internal.text.Bytes;
import dev.leakproof.internal.tracking.ConnectionTracker;
import java.util.List;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Once per class, when {@code loadSteps} is set: the step load of long-lived connection services. Heap after GC, RSS,
 * descriptors and threads at each step, and all back to the baseline once the connections close.
 *
 * <pre>{@code
 * List<Finding> findings = new StepLoadCheck().run(classWindow);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class StepLoadCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        if (settings.get(Settings.LOAD_STEPS).isEmpty()) {
            return List.of();
        }
        ConnectionTracker tracker = window.session().tracker();
        tracker.pause(true);
        StepLoad.Result result;
        try {
            result = StepLoad.run(window.session().server(), settings.get(Settings.LOAD_STEPS),
                    settings.get(Settings.LOAD_STEP_HOLD), window.session().exchange(),
                    settings.get(Settings.THREAD_ALLOWLIST));
        } finally {
            tracker.pause(false);
        }
        List<String> problems = StepLoad.notReturned(result);
        // For tools, what did not come back by kind (heap bytes, descriptors, threads): no connection stays leaked.
        return List.of(problems.isEmpty() ? Finding.measured(Finding.Kind.STEP_LOAD, result)
                : Finding.leak(Finding.Kind.STEP_LOAD, message(result, problems), 0, StepLoad.leftBehind(result))
                        .withEvidence(result));
    }

    static String message(StepLoad.Result result, List<String> problems) {
        String steps = result.steps().stream().map(st -> st.open() + " open: heap " + Bytes.format(st.heapBytes())
                + ", " + st.fileDescriptors() + " fds, " + st.threads() + " threads").collect(Collectors.joining("; "));
        return "after the step load (" + steps + "), the server did not come back to its baseline once every "
                + "connection closed: " + String.join("; ", problems) + "."
                + "\n  What to do next: something the connections made stays after they close: a cache or registry "
                + "that grows, descriptors or threads started per connection. The report plots every step.";
    }
}
