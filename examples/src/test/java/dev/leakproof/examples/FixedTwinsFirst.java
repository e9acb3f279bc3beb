package dev.leakproof.examples;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs every {@code *FixedExample} before any {@code *LeakExample}, each group by name.
 *
 * <pre>{@code
 * LauncherDiscoveryRequestBuilder.request()
 *         .configurationParameter(ClassOrderer.DEFAULT_ORDER_PROPERTY_NAME, FixedTwinsFirst.class.getName())
 * }</pre>
 *
 * <p>Why: what a leaky example leaks can outlive its test class. Netty reports an unreleased
 * buffer only after a GC and on a later allocation, so a report may arrive while the next class
 * runs and be counted against it. In this order such leftovers can only land on another leaky
 * example, never on a fixed twin that has to pass.
 */
public final class FixedTwinsFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> d.getTestClass().getSimpleName().endsWith("LeakExample"))
                .thenComparing(d -> d.getTestClass().getName()));
    }
}
