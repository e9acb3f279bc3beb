package dev.leakproof.internal.config;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.GrowthRun;
import dev.leakproof.RetainedSizeBudget;
import dev.leakproof.StepLoad;
import java.lang.annotation.Annotation;
import java.util.List;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The opt-in class checks' own annotations are read only beside {@code @DetectConnectionLeaks} on
 * the same class. Anywhere else they would be ignored without a word (a {@code @Nested} class shares
 * its enclosing class's session; a builder's settings are in code), so they fail the class instead.
 *
 * <pre>{@code
 * OptInChecks.requireBesideTheAnnotation(testClass, declaredByAnnotation);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class OptInChecks {

    /** Each opt-in annotation and the builder methods that set the same. */
    private static final List<Object[]> ANNOTATIONS = List.of(
            new Object[] {RetainedSizeBudget.class, "maxRetainedPerConnection(...) and retainedSizeConnections(...)"},
            new Object[] {GrowthRun.class, "growthCycles(...)"},
            new Object[] {StepLoad.class, "loadSteps(...) and loadStepHold(...)"});

    private OptInChecks() {
    }

    /**
     * Fails when {@code testClass} carries an opt-in check's annotation that will not be read.
     *
     * @param declaredByAnnotation whether the extension was registered by an annotation (not by a
     *     {@code @RegisterExtension} builder)
     */
    @SuppressWarnings("unchecked")
    public static void requireBesideTheAnnotation(Class<?> testClass, boolean declaredByAnnotation) {
        boolean beside = declaredByAnnotation && AnnotationSupport.isAnnotated(testClass, DetectConnectionLeaks.class);
        for (Object[] optIn : ANNOTATIONS) {
            Class<? extends Annotation> type = (Class<? extends Annotation>) optIn[0];
            if (!beside && AnnotationSupport.isAnnotated(testClass, type)) {
                // Both registrations may see it (the annotation registers the extension too), so one
                // message serves both.
                throw new ExtensionConfigurationException("Invalid Leakproof setting on " + testClass.getName() + ": @"
                        + type.getSimpleName() + " is read only beside @DetectConnectionLeaks on the same class, and "
                        + testClass.getSimpleName() + " has none. Put @DetectConnectionLeaks beside it, or, with a "
                        + "@RegisterExtension ConnectionLeakDetector, use its builder's " + optIn[1] + " instead");
            }
        }
    }
}
