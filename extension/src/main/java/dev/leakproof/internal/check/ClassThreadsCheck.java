package dev.leakproof.internal.check;

import dev.leakproof.internal.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * After the whole class (and its {@code @AfterAll} methods): every thread it started must have
 * ended, executors included.
 *
 * <pre>{@code
 * List<Finding> findings = new ClassThreadsCheck().run(classWindow);
 * }</pre>
 */
public final class ClassThreadsCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        List<Thread> threads = Threads.awaitEnded(window.session().threadsAtClassStart(),
                window.session().settings().get(Settings.THREAD_ALLOWLIST),
                window.session().settings().get(Settings.GRACE_PERIOD));
        if (threads.isEmpty()) {
            return List.of();
        }
        long accepted = window.session().server().counts().accepted();
        return List.of(Finding.leak(Finding.Kind.CLASS_THREADS,
                Threads.message(threads, accepted, "by this test class"), 0, Map.of("threads", (long) threads.size())));
    }
}
