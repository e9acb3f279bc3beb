package dev.leakproof.examples;

import dev.leakproof.examples.TestClassOutcome.Role;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The main job's judgement over every class it ran, and its two renderings: a console summary and
 * a Markdown report with the full failure messages.
 *
 * <pre>{@code
 * MainJobVerdict verdict = MainJobVerdict.of(recorder.outcomes());
 * System.out.print(verdict.consoleText(reportPath));
 * System.exit(verdict.passed() ? 0 : 1);
 * }</pre>
 *
 * <p>It passes when the sample server's suite passes, every leaky example fails with a leak, and
 * every fixed twin passes; an empty group fails too, because a job that ran nothing proves nothing.
 */
final class MainJobVerdict {

    // Leaky example first, then its fixed twin, story by story.
    private static final Comparator<TestClassOutcome> READING_ORDER = Comparator
            .comparing((TestClassOutcome o) -> o.role() != Role.SAMPLE_SERVER)
            .thenComparing(o -> story(o.simpleName()))
            .thenComparing(TestClassOutcome::role);

    private final List<TestClassOutcome> outcomes;

    private MainJobVerdict(List<TestClassOutcome> outcomes) {
        this.outcomes = outcomes.stream().sorted(READING_ORDER).toList();
    }

    static MainJobVerdict of(List<TestClassOutcome> outcomes) {
        return new MainJobVerdict(outcomes);
    }

    boolean passed() {
        return !of(Role.SAMPLE_SERVER).isEmpty() && !of(Role.LEAKY_EXAMPLE).isEmpty()
                && of(Role.LEAKY_EXAMPLE).size() == of(Role.FIXED_TWIN).size()
                && outcomes.stream().allMatch(TestClassOutcome::asExpected);
    }

    /** The three summary lines, e.g. {@code leaky examples caught: 6 of 6}. */
    List<String> summary() {
        List<TestClassOutcome> sample = of(Role.SAMPLE_SERVER);
        int sampleTests = sample.stream().mapToInt(TestClassOutcome::tests).sum();
        long sampleFailures = sample.stream().mapToLong(o -> o.failures().size()).sum();
        String sampleLine = sample.isEmpty() ? "sample server: NOT RUN (its leak suite was not found)"
                : sampleFailures == 0 && sampleTests > 0 ? "sample server: leak-free (" + tests(sampleTests) + ")"
                : "sample server: FAILED (" + sampleFailures + " of " + tests(sampleTests) + " failed: "
                        + names(sample.stream().filter(o -> !o.asExpected()).toList()) + ")";
        return List.of(sampleLine,
                countLine("leaky examples caught", of(Role.LEAKY_EXAMPLE), "NOT CAUGHT"),
                countLine("fixed twins passing", of(Role.FIXED_TWIN), "FAILING"));
    }

    /** What the main job prints: one line per class (with each failure's first line), then the verdict. */
    String consoleText(Path report) {
        StringBuilder text = new StringBuilder("Leakproof main job: the sample server's leak suite, and every leaky "
                + "example next to its fixed twin\n");
        String section = null;
        for (TestClassOutcome o : outcomes) {
            if (!heading(o.role()).equals(section)) {
                section = heading(o.role());
                text.append('\n').append(section).append('\n');
            }
            text.append(String.format(Locale.ROOT, "  %-11s %-34s %-9s %6.1f s%s%n", o.status().label(), o.simpleName(),
                    tests(o.tests()), o.duration().toMillis() / 1000.0, remark(o)));
            for (TestClassOutcome.Failure failure : o.failures()) {
                text.append("              ").append(failure.testName()).append(": ").append(failure.firstLine()).append('\n');
            }
        }
        text.append("\nVerdict: ").append(passed() ? "PASS" : "FAIL").append('\n');
        summary().forEach(line -> text.append("  ").append(line).append('\n'));
        text.append("  report: ").append(report.toAbsolutePath().normalize()).append('\n');
        return text.toString();
    }

    /** The same as Markdown, with every failure message in full. */
    String markdown() {
        StringBuilder md = new StringBuilder("# Leakproof main job\n\n");
        md.append("**Verdict: ").append(passed() ? "PASS" : "FAIL").append("**\n\n");
        summary().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n| Result | Test class | Role | Expected | Tests | Time | Ran as |\n|---|---|---|---|---|---|---|\n");
        for (TestClassOutcome o : outcomes) {
            md.append("| ").append(o.status().label()).append(" | `").append(o.className()).append("` | ")
                    .append(roleName(o.role())).append(" | ").append(o.asExpected() ? "yes" : "**NO**").append(" | ")
                    .append(o.tests()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f s", o.duration().toMillis() / 1000.0)).append(" | #")
                    .append(o.runOrder()).append(" |\n");
        }
        for (TestClassOutcome o : outcomes) {
            for (TestClassOutcome.Failure failure : o.failures()) {
                md.append("\n## ").append(o.simpleName()).append(": ").append(failure.testName()).append("\n\n")
                        .append(o.asExpected() ? "Expected: this example leaks on purpose.\n\n" : "**Not expected.**\n\n")
                        .append("```text\n").append(failure.fullMessage()).append("\n```\n");
            }
        }
        return md.toString();
    }

    private List<TestClassOutcome> of(Role role) {
        return outcomes.stream().filter(o -> o.role() == role).toList();
    }

    private static String countLine(String label, List<TestClassOutcome> group, String problem) {
        long good = group.stream().filter(TestClassOutcome::asExpected).count();
        List<TestClassOutcome> bad = group.stream().filter(o -> !o.asExpected()).toList();
        return label + ": " + good + " of " + group.size() + (bad.isEmpty() ? "" : " (" + problem + ": " + names(bad) + ")");
    }

    private static String remark(TestClassOutcome o) {
        if (o.role() == Role.LEAKY_EXAMPLE) {
            return o.asExpected() ? "  expected: this example leaks on purpose" : "  NOT CAUGHT: this example leaks on purpose";
        }
        return o.asExpected() ? "" : "  UNEXPECTED";
    }

    private static String heading(Role role) {
        return switch (role) {
            case SAMPLE_SERVER -> "Sample server leak suite (must pass)";
            case LEAKY_EXAMPLE, FIXED_TWIN -> "Examples (each *LeakExample must be caught, each *FixedExample must pass)";
        };
    }

    private static String roleName(Role role) {
        return switch (role) {
            case SAMPLE_SERVER -> "sample server suite";
            case LEAKY_EXAMPLE -> "leaky example";
            case FIXED_TWIN -> "fixed twin";
        };
    }

    private static String story(String simpleName) {
        return simpleName.replaceFirst("(Leak|Fixed)Example$", "");
    }

    private static String tests(int count) {
        return count + (count == 1 ? " test" : " tests");
    }

    private static String names(List<TestClassOutcome> group) {
        return group.stream().map(TestClassOutcome::simpleName).collect(Collectors.joining(", "));
    }
}
