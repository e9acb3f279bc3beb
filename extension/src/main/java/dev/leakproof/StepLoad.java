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
 * The step load check, once per test class: connections from a client in another JVM are raised
 * step by step to each count of {@link #steps()} and held for {@link #hold()}; heap after GC, RSS,
 * file descriptors and threads are recorded per step, the server's allocation per message written
 * while the connections idle (heartbeats) too, and all must come back to the baseline once the
 * connections close. Put it beside {@link DetectConnectionLeaks} on the test class.
 *
 * <pre>{@code
 * @DetectConnectionLeaks
 * @StepLoad(steps = {100, 500, 1000, 2000}, hold = "2s")
 * class ChatServerLoadTests { ... }
 * }</pre>
 *
 * <p>Without {@code @DetectConnectionLeaks} on the same class the class fails at once, naming this
 * annotation. With a {@code @RegisterExtension ConnectionLeakDetector}, use its builder's
 * {@code loadSteps} and {@code loadStepHold} instead. The configuration parameters
 * {@value #STEPS_PROPERTY_NAME} (counts separated by commas) and {@value #HOLD_PROPERTY_NAME} set
 * the same for every annotated class without this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConnectionLeakDetector.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface StepLoad {

    /** Configuration parameter for {@link #steps()}: counts separated by commas. */
    String STEPS_PROPERTY_NAME = "leakproof.loadSteps";
    /** Configuration parameter for {@link #hold()}. */
    String HOLD_PROPERTY_NAME = "leakproof.loadStepHold";

    /** Open connection counts, rising, e.g. {@code {100, 500, 1000, 2000}}. */
    int[] steps();

    /** How long each step holds its connections, e.g. {@code "2s"}; empty: the parameter, else {@code 2s}. */
    String hold() default "";
}
