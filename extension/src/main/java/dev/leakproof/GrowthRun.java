package dev.leakproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One longer growth run per test class, for leaks rarer than a test's run shows. Every driven run
 * is judged by growth already ({@link DetectConnectionLeaks#judgeGrowth()}); this adds one run of a
 * warm-up and steps of {@link #cycles()} cycles (K, 2K, 2K), judged the same way, which catches a
 * leak of one in every {@code cycles / 5} connections at the least. Put it beside
 * {@link DetectConnectionLeaks} on the test class.
 *
 * <pre>{@code
 * @DetectConnectionLeaks
 * @GrowthRun(cycles = 1000)
 * class ChatServerGrowthTests { ... }
 * }</pre>
 *
 * <p>Without {@code @DetectConnectionLeaks} on the same class the class fails at once, naming this
 * annotation. With a {@code @RegisterExtension ConnectionLeakDetector}, use its builder's
 * {@code growthCycles} instead. The configuration parameter {@value #CYCLES_PROPERTY_NAME} sets the
 * same for every annotated class without this annotation. What grows by design is allowed with
 * {@link DetectConnectionLeaks#growthAllowlist()}, for this run and every other growth judgement.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConnectionLeakDetector.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface GrowthRun {

    /** Configuration parameter for {@link #cycles()}; 0 (its default) for no growth run. */
    String CYCLES_PROPERTY_NAME = "leakproof.growthCycles";

    /** K: cycles per step of the run, at least 1 (e.g. {@code 1000}). */
    int cycles();
}
