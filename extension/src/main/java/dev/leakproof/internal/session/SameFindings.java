package dev.leakproof.internal.session;

import dev.leakproof.internal.check.ThreadLedger;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.growth.GrowthJudge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Findings of one verdict that say the same thing, merged into one. A growth that counts threads,
 * open connections or descriptors per repetition (the {@code ResourceGrowth} check, a driven run, the
 * class's growth run) and the check that names those same threads, connections or descriptors one by
 * one ({@code ThreadsCheck} and the class-end threads, the open-connection checks, the descriptor
 * check) would otherwise both fail the test, in one failure, about the same things.
 *
 * <p>One of them stays a failure; the other becomes a note of the report (its words are kept there,
 * it is not thrown again):
 * <ul>
 *   <li>a growth the test has already failed with ({@code ResourceGrowth} threw it, and the test
 *       failed) stays: the failure cannot be taken back, and a second one would repeat it. One the
 *       test caught ({@code assertThrows}) failed nothing: the check's leak stays a failure;</li>
 *   <li>otherwise the check that names each thread, connection or descriptor (where it waits, what
 *       state it is in) is the more specific, and stays; the growth becomes the note, unless it
 *       grows something no such check named (then it says more, and stays instead).</li>
 * </ul>
 *
 * <pre>{@code
 * List<Finding> findings = SameFindings.merge(findings, testFailed);
 * }</pre>
 */
final class SameFindings {

    /** The growth's counted resources, and the kinds of the checks that name the same things one by one. */
    private static final Map<String, Set<Finding.Kind>> NAMED_BY = Map.of(
            "threads", Set.of(Finding.Kind.THREADS, Finding.Kind.CLASS_THREADS),
            "open connections", Set.of(Finding.Kind.OPEN_CONNECTIONS),
            "file descriptors", Set.of(Finding.Kind.FILE_DESCRIPTORS));

    private SameFindings() {
    }

    /**
     * {@code findings} with each pair that says the same thing merged (a copy, in the same order);
     * {@code failed}: whether the test failed (so with the growth it threw, if it threw one).
     */
    static List<Finding> merge(List<Finding> findings, boolean failed) {
        List<Finding> merged = new ArrayList<>(findings);
        for (int g = 0; g < merged.size(); g++) {
            Finding growth = merged.get(g);
            Set<String> grown = grown(growth);
            boolean thrown = growth.outcome() == Finding.Outcome.THROWN;
            if (!(growth.isLeak() || thrown && failed) || grown.isEmpty()) {
                continue;
            }
            List<Integer> same = new ArrayList<>();
            Set<String> named = new HashSet<>();
            for (int i = 0; i < merged.size(); i++) {
                Finding other = merged.get(i);
                for (String resource : grown) {
                    if (other.isLeak() && NAMED_BY.getOrDefault(resource, Set.of()).contains(other.kind())) {
                        same.add(i);
                        named.add(resource);
                    }
                }
            }
            if (same.isEmpty()) {
                continue;
            }
            String what = String.join(" and ", named.stream().sorted().toList());
            if (thrown || !named.containsAll(grown)) {
                same.stream().distinct().forEach(i -> merged.set(i, note(merged.get(i),
                        "Named one by one, the same " + what + " as the growth failure: ")));
            } else {
                merged.set(g, note(growth, "Counted by growth, the same " + what + " as the failure that names them: "));
            }
        }
        return merged;
    }

    /**
     * Whether the verdict fails for threads it left running (a thread check's or a growth's leak, or
     * a growth the test already failed with): the class's end does not name those threads again.
     */
    static boolean failsForThreads(List<Finding> findings, boolean failed) {
        return findings.stream().anyMatch(f -> (f.isLeak() || f.outcome() == Finding.Outcome.THROWN && failed)
                && (f.kind() == Finding.Kind.THREADS || grown(f).contains("threads")));
    }

    /**
     * Merges the findings of a test's verdict in place, and tells the class's thread ledger when the
     * test failed for its threads.
     */
    static void mergeInPlace(List<Finding> findings, boolean failed, String test, ThreadLedger ledger) {
        List<Finding> merged = merge(findings, failed);
        findings.clear();
        findings.addAll(merged);
        if (failsForThreads(merged, failed)) {
            ledger.failedFor(test);
        }
    }

    /** The counted resources a growth finding grows (none for any other finding). */
    private static Set<String> grown(Finding f) {
        if (f.kind() != Finding.Kind.RESOURCE_GROWTH) {
            return Set.of();
        }
        Optional<GrowthJudge.Result> result = f.evidence(GrowthJudge.Result.class);
        return result.map(r -> r.resources().stream().filter(GrowthJudge.Trend::grows).map(GrowthJudge.Trend::resource)
                .collect(Collectors.toSet())).orElse(Set.of());
    }

    /** The finding as a note: its words and evidence stay in the report; it fails nothing. */
    private static Finding note(Finding f, String prefix) {
        return new Finding(f.kind(), Finding.Outcome.NOTE, prefix + f.message(), 0, Map.of(), f.evidence());
    }
}
