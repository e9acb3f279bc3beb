package dev.leakproof.internal.session;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Leakproof under JUnit's parallel execution. Its checks see the whole JVM (threads, descriptors,
 * loaded classes, Netty's leak detector), so a class it checks must run with nothing beside it:
 * JUnit's global lock, which {@code @Isolated} takes and {@code @DetectConnectionLeaks} declares. A
 * detector registered in code has no annotation to declare it, and a class that forgot it fails
 * fast instead of blaming its neighbours' threads and sockets on the code under test.
 *
 * <pre>{@code
 * ParallelExecution.requireIsolation(context, testClass, "ConnectionLeakDetector");
 * }</pre>
 */
final class ParallelExecution {

    static final String ENABLED = "junit.jupiter.execution.parallel.enabled";
    /** The lock {@code @Isolated} takes (JUnit's {@code ExclusiveResource.GLOBAL_KEY}). */
    private static final String GLOBAL_LOCK = "org.junit.platform.engine.support.hierarchical.ExclusiveResource.GLOBAL_KEY";

    private ParallelExecution() {
    }

    static void requireIsolation(ExtensionContext context, Class<?> testClass, String registeredAs) {
        Optional<String> enabled = context.getConfigurationParameter(ENABLED);
        if (enabled.map(Boolean::parseBoolean).orElse(false) && !isolated(testClass)) {
            throw new ExtensionConfigurationException(ENABLED + " = " + enabled.get() + ": " + testClass.getName()
                    + " registers " + registeredAs + ", whose checks (threads, descriptors, loaded classes, Netty's leak "
                    + "detector) see the whole JVM and would count what tests running beside it do. Annotate the class "
                    + "with @Isolated (org.junit.jupiter.api.parallel), or use @DetectConnectionLeaks, which declares it");
        }
    }

    /** The class, or a class enclosing it (a {@code @Nested} class runs inside its outer class's lock), takes the global lock. */
    private static boolean isolated(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            boolean global = AnnotationSupport.findRepeatableAnnotations(c, ResourceLock.class).stream()
                    .anyMatch(lock -> lock.value().equals(GLOBAL_LOCK) && lock.mode() == ResourceAccessMode.READ_WRITE);
            if (global) {
                return true;
            }
        }
        return false;
    }
}
