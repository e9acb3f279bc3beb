package dev.leakproof.internal.session;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.OpenConnectionGrowth;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.internal.config.ConfigSource;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.pipeline.PipelineMethod;
import dev.leakproof.internal.pipeline.PipelineSource;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit side of the public {@code ConnectionLeakDetector}: one {@link LeakSession} per test
 * class in the class's store (so JUnit closes it even when tests fail), a verdict after each test,
 * the class's end after its {@code @AfterAll} methods, and the parameters tests ask for.
 *
 * <pre>{@code
 * LeakExtension extension = new LeakExtension(detector, null, null); // configured by the annotation
 * extension.beforeAll(context);
 * }</pre>
 */
public final class LeakExtension {

    private static final Namespace NAMESPACE = Namespace.create(LeakExtension.class);
    private static final String SESSION = "session";
    private static final String OWNER = "owner";
    private static final String DRIVER = "driver";

    private final Object owner;
    private final Consumer<ConfigSource> explicitValues;
    private final PipelineSource builderPipeline;

    /**
     * @param owner the registered extension instance (one class may not have two)
     * @param explicitValues the builder's values, or {@code null} when the annotation configures the class
     * @param builderPipeline the builder's pipeline, or {@code null}
     */
    public LeakExtension(Object owner, Consumer<ConfigSource> explicitValues, PipelineSource builderPipeline) {
        this.owner = owner;
        this.explicitValues = explicitValues;
        this.builderPipeline = builderPipeline;
    }

    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Object registered = store.get(OWNER);
        if (registered != null && registered != owner && context.getUniqueId().equals(store.get(OWNER + ".context"))) {
            throw new ExtensionConfigurationException("Leakproof is registered twice on "
                    + context.getRequiredTestClass().getName() + ": use either @DetectConnectionLeaks or a "
                    + "@RegisterExtension ConnectionLeakDetector, not both");
        }
        if (store.get(SESSION) != null) {
            return; // a @Nested class: the enclosing class's session serves it
        }
        store.put(OWNER, owner);
        store.put(OWNER + ".context", context.getUniqueId());
        Class<?> testClass = context.getRequiredTestClass();
        ParallelExecution.requireIsolation(context, testClass,
                explicitValues == null ? "@DetectConnectionLeaks" : "ConnectionLeakDetector");
        LeakSettings settings = LeakSettings.resolve(configSource(context, testClass));
        Optional<PipelineMethod> method = PipelineMethod.find(testClass);
        if (method.isPresent() && builderPipeline != null) {
            throw new ExtensionConfigurationException("Two server pipelines for " + testClass.getName()
                    + ": a @ServerPipeline method and ConnectionLeakDetector.builder().pipeline(...); keep one");
        }
        store.put(SESSION, new LeakSession(testClass, settings, method, builderPipeline));
    }

    public void beforeEach(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        session(context).beforeTest(context.getTestInstance().orElse(null));
    }

    public void afterEach(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        // A test that leaves its thread interrupted would cut every wait of the verdict short; the
        // flag is set again for whoever looks after the verdict.
        boolean interrupted = Thread.interrupted();
        try {
            judgeTest(context);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void judgeTest(ExtensionContext context) {
        LeakSession session = session(context);
        Optional<Throwable> testFailure = context.getExecutionException();
        Optional<AssertionError> problem = testFailure.isEmpty() ? session.problemBeforeVerdict() : Optional.empty();
        // The verdict runs in any case (what it finds is added to the failure), and the window is closed.
        Optional<ConnectionLeakError> leak = session.verdict(context.getDisplayName(),
                testFailure.isPresent() || problem.isPresent());
        if (problem.isPresent()) {
            leak.ifPresent(problem.get()::addSuppressed);
            throw problem.get();
        }
        report(leak, testFailure);
    }

    public void afterAll(ExtensionContext context) {
        if (!isOwner(context) || !context.getUniqueId().equals(context.getStore(NAMESPACE).get(OWNER + ".context"))) {
            return;
        }
        Optional<Throwable> classFailure = context.getExecutionException();
        report(session(context).finishClass(classFailure.isPresent()), classFailure);
    }

    public static boolean supportsParameter(Class<?> type) {
        return type == TlsFixtureServer.class || type == ConnectionDriver.class || type == LeakTracker.class
                || type == OpenConnectionGrowth.class || type == ResourceGrowth.class;
    }

    public Object resolveParameter(Class<?> type, ExtensionContext context) {
        LeakSession session = session(context);
        if (type == TlsFixtureServer.class) {
            return session.server();
        }
        if (type == LeakTracker.class) {
            return session.tracker();
        }
        if (type == OpenConnectionGrowth.class) {
            return session.openConnectionGrowth();
        }
        if (type == ResourceGrowth.class) {
            return session.resourceGrowth();
        }
        // One driver per test (or per class for @BeforeAll), closed with the context that made it.
        return context.getStore(NAMESPACE).computeIfAbsent(DRIVER, k -> session.newDriver(), ConnectionDriver.class);
    }

    private boolean isOwner(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(OWNER) == owner;
    }

    private static LeakSession session(ExtensionContext context) {
        LeakSession session = context.getStore(NAMESPACE).get(SESSION, LeakSession.class);
        if (session == null) {
            throw new ExtensionConfigurationException("Leakproof has no session for " + context.getDisplayName()
                    + ": the extension must be registered on the test class (or a static @RegisterExtension field)");
        }
        return session;
    }

    /** Never hides the test's own failure: a leak found after a failing test is added as suppressed. */
    private static void report(Optional<? extends AssertionError> leak, Optional<Throwable> testFailure) {
        if (leak.isEmpty()) {
            return;
        }
        if (testFailure.isPresent()) {
            testFailure.get().addSuppressed(leak.get());
            return;
        }
        throw leak.get();
    }

    private ConfigSource configSource(ExtensionContext context, Class<?> testClass) {
        ConfigSource source = new ConfigSource(context::getConfigurationParameter);
        if (explicitValues != null) {
            explicitValues.accept(source);
        } else {
            AnnotationSupport.findAnnotation(testClass, DetectConnectionLeaks.class).ifPresent(source::annotation);
        }
        return source;
    }
}
