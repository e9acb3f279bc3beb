package dev.leakproof.internal.report;

import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Finding;
import dev.leakproof.internal.finding.Place;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a report shows each piece of evidence, knowing no kind of it: a test's in that test's JSON
 * object and after its survivors, the class's at the class's level (in both, two of one class found
 * at one place joined into one), and table rows gathered into one table of the class per table,
 * each row saying where it was found.
 *
 * <pre>{@code
 * PlacedEvidence placed = new PlacedEvidence(report);
 * placed.at(verdict).forEach(e -> e.json(json));
 * }</pre>
 */
final class PlacedEvidence {

    /** One row of a class-wide table, and where it was found. */
    record PlacedRow(Evidence.Row row, Place place) {
    }

    /** Where class-level evidence was found, as a table's "judged in" column says it. */
    static final String CLASS_LEVEL = "class-level checks";

    private final ClassReport report;

    PlacedEvidence(ClassReport report) {
        this.report = report;
    }

    /** The place of a test's evidence. */
    static Place place(TestVerdict t) {
        return new Place(t.name(), label(t), evidence(t.findings()));
    }

    Place classPlace() {
        return new Place(CLASS_LEVEL, CLASS_LEVEL, report.classEvidence());
    }

    /** What a place shows of its own: each class of evidence once (joined), table rows left to their tables. */
    static List<Evidence> shown(Place place) {
        Map<Class<?>, Evidence> joined = new LinkedHashMap<>();
        for (Evidence e : place.found()) {
            if (!(e instanceof Evidence.Row)) {
                joined.merge(e.getClass(), e, Evidence::join);
            }
        }
        return List.copyOf(joined.values());
    }

    /** Every table of the class, by name, in the order first found; its rows: the tests' in order, then the class's. */
    Map<String, List<PlacedRow>> tables() {
        List<Place> places = new ArrayList<>();
        report.tests().forEach(t -> places.add(place(t)));
        places.add(classPlace());
        Map<String, List<PlacedRow>> tables = new LinkedHashMap<>();
        for (Place place : places) {
            for (Evidence e : place.found()) {
                if (e instanceof Evidence.Row row) {
                    tables.computeIfAbsent(row.table(), k -> new ArrayList<>()).add(new PlacedRow(row, place));
                }
            }
        }
        return tables;
    }

    private static List<Evidence> evidence(List<Finding> findings) {
        return findings.stream().map(Finding::evidence).filter(Objects::nonNull).toList();
    }

    /** A test's heading: its display name, and its method where the name alone could be another test's. */
    static String label(TestVerdict t) {
        return t.test().methodName() == null ? t.name() : t.name() + " (" + t.test().methodLabel() + ")";
    }
}
