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
 * A budget of server-side memory per open connection, checked once per test class: connections are
 * held open from a client in another JVM, the memory they retain is measured with JOL (and
 * cross-checked with the heap's slope), and the class fails above the budget, or when memory does
 * not come back after they close. Put it beside {@link DetectConnectionLeaks} on the test class.
 *
 * <pre>{@code
 * @DetectConnectionLeaks
 * @RetainedSizeBudget(perConnection = "16KB", connections = 1000)
 * class ChatServerMemoryTests { ... }
 * }</pre>
 *
 * <p>Without {@code @DetectConnectionLeaks} on the same class the class fails at once, naming this
 * annotation. With a {@code @RegisterExtension ConnectionLeakDetector}, use its builder's
 * {@code maxRetainedPerConnection} and {@code retainedSizeConnections} instead. The configuration
 * parameters {@value #PER_CONNECTION_PROPERTY_NAME} and {@value #CONNECTIONS_PROPERTY_NAME} set the
 * same for every annotated class without this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConnectionLeakDetector.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface RetainedSizeBudget {

    /** Configuration parameter for {@link #perConnection()}. */
    String PER_CONNECTION_PROPERTY_NAME = "leakproof.maxRetainedPerConnection";
    /** Configuration parameter for {@link #connections()}. */
    String CONNECTIONS_PROPERTY_NAME = "leakproof.retainedSizeConnections";

    /** The budget per open connection, e.g. {@code "16KB"}, {@code "1MB"} or {@code "4096"} (bytes). */
    String perConnection();

    /**
     * Connections held open to measure (at least 20). {@link DetectConnectionLeaks#UNSET}: the
     * configuration parameter, else 200.
     */
    int connections() default DetectConnectionLeaks.UNSET;
}
