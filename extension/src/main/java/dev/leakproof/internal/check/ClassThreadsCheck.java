package dev.leakproof.internal.check;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.os.ThreadSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * After the whole class (and its {@code @AfterAll} methods), the threads the class started and
 * left running. They fail the class when they grow: more than a pool started once could hold, or
 * left by several tests each (a thread started per test and never stopped: different pools, or
 * threads of the same name). A constant few left by one test, such as a client library's global
 * event loop started on first use or a static single-thread executor, are a note in the report.
 * With {@code strictThreads}, every thread must have ended (the randomizedtesting style). Threads a
 * test's verdict already failed for are not named again: a note says they still run.
 *
 * <pre>{@code
 * List<Finding> findings = new ClassThreadsCheck().run(classWindow);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassThreadsCheck implements Check {

    @Override
    public List<Finding> run(Window window) {
        LeakSettings settings = window.session().settings();
        ThreadSnapshot atClassStart = window.session().threadsAtClassStart();
        ThreadLedger ledger = window.session().threadLedger();
        List<Thread> threads = Threads.settled(atClassStart, settings.get(Settings.THREAD_ALLOWLIST),
                settings.get(Settings.GRACE_PERIOD));
        List<Finding> findings = new ArrayList<>(alreadyFailed(threads, ledger));
        threads = notFailedYet(threads, ledger);
        if (threads.isEmpty()) {
            return findings;
        }
        boolean strict = settings.get(Settings.STRICT_THREADS);
        if (strict || grows(threads, ledger)) {
            threads = notFailedYet(Threads.awaitEnded(atClassStart, settings.get(Settings.THREAD_ALLOWLIST),
                    settings.get(Settings.GRACE_PERIOD)), ledger);
        }
        if (threads.isEmpty()) {
            return findings;
        }
        long accepted = window.session().server().counts().accepted();
        if (strict || grows(threads, ledger)) {
            findings.add(Finding.leak(Finding.Kind.CLASS_THREADS,
                    Threads.message(threads, accepted, "by this test class"), 0, Map.of("threads", (long) threads.size())));
            return findings;
        }
        findings.add(Finding.note(Finding.Kind.CLASS_THREADS, threads.size() + (threads.size() == 1 ? " thread" : " threads")
                + " started once by this test class and still running, constant over its tests (a pool started on first "
                + "use, by design: not a leak; strictThreads = true would fail it): " + Threads.listed(threads)));
        return findings;
    }

    /** Threads no test's verdict has failed for yet: the only ones the class's end may name. */
    private static List<Thread> notFailedYet(List<Thread> threads, ThreadLedger ledger) {
        return threads.stream().filter(t -> !ledger.alreadyFailed(t)).toList();
    }

    /** A note for the threads a test's verdict already failed for and that still run: said once, not again. */
    private static List<Finding> alreadyFailed(List<Thread> threads, ThreadLedger ledger) {
        List<Thread> failed = threads.stream().filter(ledger::alreadyFailed).toList();
        if (failed.isEmpty()) {
            return List.of();
        }
        Set<String> tests = new java.util.LinkedHashSet<>();
        failed.forEach(t -> tests.add(ledger.testThatStarted(t)));
        return List.of(Finding.note(Finding.Kind.CLASS_THREADS, failed.size() + (failed.size() == 1 ? " thread" : " threads")
                + " still running at the class's end, already reported by the verdict of " + String.join(", ", tests)
                + " (not reported again): " + Threads.listed(failed)));
    }

    /**
     * Whether the leftover threads grew: more than a pool could hold, or started per test. Threads
     * named alike (the same name once every number is taken out, {@code pool-#-thread-#}) that
     * several tests left, in different pools ({@code pool-5-thread-1}, {@code pool-6-thread-1}) or
     * under the very same name, were started by each test and never stopped. One pool's threads
     * started across tests ({@code reactor-http-nio-1} in one test, {@code -2} in the next) are a
     * pool started lazily.
     */
    static boolean grows(List<Thread> threads, ThreadLedger ledger) {
        if (threads.size() > Threads.POOL_BOUND) {
            return true;
        }
        Map<String, List<Thread>> byStem = new HashMap<>();
        threads.forEach(t -> byStem.computeIfAbsent(ThreadLedger.stem(t.getName()), k -> new java.util.ArrayList<>()).add(t));
        for (List<Thread> alike : byStem.values()) {
            Set<String> tests = new HashSet<>();
            Set<String> pools = new HashSet<>();
            Set<String> names = new HashSet<>();
            boolean sameNameTwice = false;
            for (Thread t : alike) {
                String test = ledger.testThatStarted(t);
                if (test != null) {
                    tests.add(test);
                }
                pools.add(ThreadLedger.pool(t.getName()));
                sameNameTwice |= !names.add(t.getName());
            }
            if (tests.size() >= 2 && (pools.size() >= 2 || sameNameTwice)) {
                return true;
            }
        }
        return false;
    }
}
