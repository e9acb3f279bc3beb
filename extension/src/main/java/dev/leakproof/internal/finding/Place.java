package dev.leakproof.internal.finding;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Where evidence was found, as the report tells it: a test (by its display name, and a heading that
 * tells it apart from tests that display alike) or the class's own checks, with every piece of
 * evidence found there, so that one can show another's figure next to its words.
 *
 * <pre>{@code
 * Place place = new Place("echoes 100 lines", "echoes 100 lines (echoes(int))", evidence);
 * String figure = place.figureOf("com.example.Session");
 * }</pre>
 *
 * @param name what a table's "judged in" column says
 * @param heading what a section's heading says ("Reference paths of ...")
 * @param found every piece of evidence found at this place, in the order found
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record Place(String name, String heading, List<Evidence> found) {

    public Place {
        found = List.copyOf(found);
    }

    /** The first figure of {@code subject} drawn by evidence of this place; empty when none counted it. */
    public String figureOf(String subject) {
        return found.stream().map(e -> e.figureOf(subject)).filter(f -> !f.isEmpty()).findFirst().orElse("");
    }

    /** {@code s} as HTML text (and attribute value). */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
