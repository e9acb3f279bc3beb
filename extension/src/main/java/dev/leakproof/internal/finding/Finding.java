package dev.leakproof.internal.finding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one check found, as a value: the failure message, the report and the JSON are all rendered
 * from findings. A finding is a leak (the test fails), a note (listed, never a failure) or a
 * measurement that passed (its evidence goes into the report).
 *
 * <pre>{@code
 * Finding.leak(Finding.Kind.FILE_DESCRIPTORS, message, 0, Map.of("socket", 16L));
 * }</pre>
 *
 * @param kind what was checked; findings are read in the order of the kinds
 * @param outcome whether it fails the test
 * @param message the words for a person (empty for a measurement that passed)
 * @param leakedConnections connections this finding counts as leaked (0 when it does not count connections)
 * @param countsByClass what leaked, by class name or kind, for tools
 * @param evidence what the report shows beyond the message (a leak trace, a retained size, a
 *     growth table, a step load), or {@code null}
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Finding(Kind kind, Outcome outcome, String message, long leakedConnections,
        Map<String, Long> countsByClass, Evidence evidence) {

    /** What a check looks at, in the order a person reads the findings. */
    public enum Kind {
        OPEN_CONNECTIONS, HEAP, CLIENT_OBJECTS, FILE_DESCRIPTORS, SCHEDULED_TASKS, THREADS, NETTY_BUFFERS,
        RESOURCE_GROWTH, RETAINED_SIZE, CLASS_GROWTH, STEP_LOAD, CLASS_THREADS, SESSION
    }

    /** Whether a finding fails the test. */
    public enum Outcome {
        /** Something was left behind: the test fails. */
        LEAK,
        /** Worth knowing, never a failure: allowed idle connections, a measurement that was skipped. */
        NOTE,
        /** A measurement that passed; its evidence goes into the report. */
        MEASURED,
        /**
         * A leak a check called by the test itself has already failed the test with (the growth
         * check): the report shows it as the test's failure; the verdict does not throw it again.
         */
        THROWN
    }

    public Finding {
        countsByClass = Collections.unmodifiableMap(new LinkedHashMap<>(countsByClass));
    }

    public static Finding leak(Kind kind, String message, long leakedConnections, Map<String, Long> countsByClass) {
        return new Finding(kind, Outcome.LEAK, message, leakedConnections, countsByClass, null);
    }

    public static Finding note(Kind kind, String message) {
        return new Finding(kind, Outcome.NOTE, message, 0, Map.of(), null);
    }

    public static Finding thrown(Kind kind, String message, Evidence evidence) {
        return new Finding(kind, Outcome.THROWN, message, 0, Map.of(), evidence);
    }

    public static Finding measured(Kind kind, Evidence evidence) {
        return new Finding(kind, Outcome.MEASURED, "", 0, Map.of(), evidence);
    }

    /** The same finding, with evidence for the report. */
    public Finding withEvidence(Evidence evidence) {
        return new Finding(kind, outcome, message, leakedConnections, countsByClass, evidence);
    }

    public boolean isLeak() {
        return outcome == Outcome.LEAK;
    }

    /** The evidence, when it is of {@code type}. */
    public <T> Optional<T> evidence(Class<T> type) {
        return type.isInstance(evidence) ? Optional.of(type.cast(evidence)) : Optional.empty();
    }
}
