package dev.leakproof.internal.check;

import dev.leakproof.internal.finding.Finding;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One check of a verdict: it looks at the window being judged and returns what it found. The
 * verdict runs checks in an explicit order ({@code session.Verdicts}); adding a check is one class
 * implementing this and one line in that order.
 *
 * <pre>{@code
 * final class DirectMemoryCheck implements Check {
 *     public List<Finding> run(Window window) {
 *         long grown = DirectMemory.used() - window.baseline().directMemory();
 *         return grown < LIMIT ? List.of()
 *                 : List.of(Finding.leak(Finding.Kind.DIRECT_MEMORY, grown + " bytes of direct memory ...", 0, Map.of()));
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface Check {

    /** The findings of this check for {@code window}; empty when all is well. */
    List<Finding> run(Window window);
}
