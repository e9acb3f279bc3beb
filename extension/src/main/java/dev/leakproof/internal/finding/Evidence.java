package dev.leakproof.internal.finding;

import dev.leakproof.fixture.internal.json.JsonWriter;
import org.apiguardian.api.API;

/**
 * What a finding shows in the report beyond its message, rendering itself: its fields of the JSON
 * report and its sections of the HTML page. The report places it (a test's evidence in that test's
 * JSON object and after its survivors, a class-level finding's at the class's level) and knows no
 * kind of evidence, so a new check's evidence needs no renderer edited.
 *
 * <pre>{@code
 * record Skipped(String reason) implements Evidence {
 *     public void json(JsonWriter json) {
 *         json.field("retainedSizeSkipped").string(reason);
 *     }
 *
 *     public void html(StringBuilder html, Place place) {
 *         html.append("<p>Skipped: ").append(Place.esc(reason)).append("</p>\n");
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface Evidence {

    /** Writes this evidence's fields into the JSON object of where it was found. Nothing by default. */
    default void json(JsonWriter json) {
    }

    /** Appends this evidence's sections of the HTML page. Nothing by default (evidence for tools only). */
    default void html(StringBuilder html, Place place) {
    }

    /**
     * What the report shows when one place found two pieces of evidence of this class: by default
     * the first (one leak trace per test); a cost adds up.
     */
    default Evidence join(Evidence later) {
        return this;
    }

    /**
     * An inline SVG figure of what this evidence counted of {@code subject} (a class name), for other
     * evidence of the same place to show next to its words; empty when it counted none.
     */
    default String figureOf(String subject) {
        return "";
    }

    /**
     * Evidence that is one row of a table of the whole class: every growth judged, in each test and
     * in the class's own checks, in one table whose rows say where each was found.
     *
     * <pre>{@code
     * record Judged(long count) implements Evidence.Row {
     *     public String table() {
     *         return "judged";
     *     }
     *     ...
     * }
     * }</pre>
     */
    interface Row extends Evidence {

        /** The table's name: the JSON array of its rows, in the order they were found. */
        String table();

        /** Writes this row as one element of the table's JSON array. */
        void jsonRow(JsonWriter json, Place place);

        /** The HTML table's heading and header row, written once before its rows. */
        String htmlHead();

        /** Appends this row's HTML table rows. */
        void htmlRow(StringBuilder html, Place place);
    }
}
