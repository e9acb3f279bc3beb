package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.netty.ScheduledTasks;
import dev.leakproof.internal.text.Counts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Scheduled tasks still pending on the fixture server's event loops once every connection closed:
 * a heartbeat or timeout scheduled per connection and never cancelled. Counted after the
 * heap check's settling (the same GCs and pauses), so that the count is the same from run to run;
 * a one-shot task due before the grace period ends is a clean-up on its way and is not counted.
 *
 * <pre>{@code
 * List<Finding> findings = new ScheduledTasksCheck().run(window);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ScheduledTasksCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        if (window.openConnections() != 0) {
            return List.of(); // an open connection's tasks are alive by right
        }
        Duration grace = window.session().settings().get(Settings.GRACE_PERIOD);
        // A one-shot task still due within the grace period is a clean-up on its way, not a task left behind.
        Duration graceLeft = Duration.ofNanos(Math.max(0, window.startNanos() + grace.toNanos() - System.nanoTime()));
        Map<String, Long> tasks = ScheduledTasks.pendingOn(window.session().server().childEventLoops(), grace, graceLeft);
        return tasks.isEmpty() ? List.of()
                : List.of(Finding.leak(Finding.Kind.SCHEDULED_TASKS, message(tasks, window.connections()), 0, Map.of()));
    }

    static String message(Map<String, Long> tasks, long connections) {
        long total = tasks.values().stream().mapToLong(Long::longValue).sum();
        return total + " scheduled " + (total == 1 ? "task is" : "tasks are") + " still pending on the server's event "
                + "loops after every connection closed (" + connections + " connections): "
                + Counts.counted(tasks)
                + ".\n  What to do next: a task scheduled per connection (a heartbeat, a timeout) must be cancelled when "
                + "its connection closes: keep the ScheduledFuture and cancel it in channelInactive().";
    }
}
