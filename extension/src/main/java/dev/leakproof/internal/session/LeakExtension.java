package dev.leakproof.internal.session;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.internal.NettyVersions;
import dev.leakproof.internal.check.ResourceGrowthCheck;
import dev.leakproof.internal.config.ConfigSource;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.OptInChecks;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.pipeline.PipelineMethod;
import dev.leakproof.internal.pipeline.PipelineSource;
import dev.leakproof.internal.report.TestId;
import dev.leakproof.internal.report.TestVerdict;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit side of the public {@code ConnectionLeakDetector}: one {@link LeakSession} per test
 * class in the class's store (so JUnit closes it even when tests fail), a verdict after each test
 * published as report entries, the class's end after its {@code @AfterAll} methods, and the
 * parameters tests ask for.
 *
 * <p>A {@code @Nested} class shares its enclosing class's session, unless it carries its own
 * {@code @DetectConnectionLeaks}: then the nearest annotation wins, as with JUnit's
 * {@code @Timeout}, and the nested class gets a session (fixture server, report) of its own.
 *
 * <pre>{@code
 * LeakExtension extension = new LeakExtension(detector, null, null); // configured by the annotation
 * extension.beforeAll(context);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LeakExtension {

    private static final Namespace NAMESPACE = Namespace.create(LeakExtension.class);
    private static final String SESSION = "session";
    private static final String OWNER = "owner";
    private static final String DRIVER = "driver";
    /** Set when beforeAll failed: later callbacks then stay quiet instead of adding a second, misleading error. */
    private static final String NOT_STARTED = "notStarted";

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
        try {
            start(context, store);
        } catch (RuntimeException e) {
            store.put(NOT_STARTED, context.getUniqueId());
            throw e;
        }
    }

    private void start(ExtensionContext context, ExtensionContext.Store store) {
        // First, before anything touches Netty: a mixed or unsupported Netty fails later, deep inside an event loop.
        Optional<String> nettyProblem = NettyVersions.problem();
        if (nettyProblem.isPresent()) {
            throw new ExtensionConfigurationException(nettyProblem.get());
        }
        // Before any connection: a JVM that ignores every GC request would make every verdict a false leak.
        Optional<String> gcProblem = GcForcer.cannotForce();
        if (gcProblem.isPresent()) {
            throw new ExtensionConfigurationException(gcProblem.get());
        }
        Object registered = store.get(OWNER);
        if (registered != null && registered != owner && context.getUniqueId().equals(store.get(OWNER + ".context"))) {
            throw new ExtensionConfigurationException("Leakproof is registered twice on "
                    + context.getRequiredTestClass().getName() + ": use either @DetectConnectionLeaks or a "
                    + "@RegisterExtension ConnectionLeakDetector, not both");
        }
        Class<?> testClass = context.getRequiredTestClass();
        OptInChecks.requireBesideTheAnnotation(testClass, explicitValues == null);
        if (store.get(SESSION) != null && !hasOwnAnnotation(testClass)) {
            return; // a @Nested class without settings of its own: the enclosing class's session serves it
        }
        store.put(OWNER, owner);
        store.put(OWNER + ".context", context.getUniqueId());
        ParallelExecution.requireIsolation(context, testClass,
                explicitValues == null ? "@DetectConnectionLeaks" : "ConnectionLeakDetector");
        LeakSettings settings = LeakSettings.resolve(configSource(context, testClass));
        Optional<PipelineMethod> method = PipelineMethod.find(testClass);
        if (method.isPresent() && builderPipeline != null) {
            throw new ExtensionConfigurationException("Two server pipelines for " + testClass.getName()
                    + ": a @ServerPipeline method and ConnectionLeakDetector.builder().pipeline(...); keep one");
        }
        store.put(SESSION, new ClosedByJUnit<>(new LeakSession(testClass, settings, method, builderPipeline)));
    }

    public void beforeEach(ExtensionContext context) {
        if (!isOwner(context) || notStarted(context)) {
            return;
        }
        session(context).beforeTest(context.getTestInstance().orElse(null));
    }

    /**
     * One verdict per test method: a {@code @TestFactory}'s dynamic tests get one verdict together,
     * since JUnit calls no callback around each of them.
     */
    public void afterEach(ExtensionContext context) {
        if (!isOwner(context) || notStarted(context)) {
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
        TestVerdict verdict = session.judge(testId(context),
                problem.isPresent() ? TestVerdict.TestState.FAILED : state(testFailure));
        PublishedVerdict.publish(context, verdict.outcome(), verdict, session.report().htmlPath());
        Optional<ConnectionLeakError> leak = Verdicts.failure(verdict, session.reportLine());
        if (problem.isPresent()) {
            leak.ifPresent(problem.get()::addSuppressed);
            throw problem.get();
        }
        report(leak, testFailure);
    }

    public void afterAll(ExtensionContext context) {
        if (!isOwner(context) || notStarted(context)
                || !context.getUniqueId().equals(context.getStore(NAMESPACE).get(OWNER + ".context"))) {
            return;
        }
        Optional<Throwable> classFailure = context.getExecutionException();
        LeakSession session = session(context);
        Optional<AssertionError> failure = session.finishClass(classFailure.isPresent());
        PublishedVerdict.publish(context, session.report().verdict(), null, session.report().htmlPath());
        report(failure, classFailure);
    }

    /** Records a disabled test as skipped in the class's report. */
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        if (isOwner(context) && !notStarted(context)) {
            // Recorded as skipped, so the report lists it.
            session(context).report().add(TestVerdict.skipped(testId(context), reason.orElse("")));
        }
    }

    public static boolean supportsParameter(Class<?> type) {
        return type == TlsFixtureServer.class || type == ConnectionDriver.class || type == LeakTracker.class
                || type == ResourceGrowth.class;
    }

    public Object resolveParameter(Class<?> type, ExtensionContext context) {
        if (notStarted(context)) {
            throw new ParameterResolutionException("Leakproof did not start for " + context.getDisplayName()
                    + ", so there is no " + type.getSimpleName() + " to inject: see the class's first error");
        }
        LeakSession session = session(context);
        if (type == TlsFixtureServer.class) {
            return session.server();
        }
        if (type == LeakTracker.class) {
            return session.tracker();
        }
        if (type == ResourceGrowth.class) {
            return new ResourceGrowthCheck(session, ResourceGrowth.DEFAULT_WARM_UP, ResourceGrowth.DEFAULT_STEP);
        }
        // One driver per test (or per class for @BeforeAll), closed with the context that made it.
        return driver(context.getStore(NAMESPACE), session);
    }

    // getOrComputeIfAbsent is deprecated in JUnit 6 for computeIfAbsent, which JUnit 5 lacks; this
    // name works on both.
    @SuppressWarnings("deprecation")
    private static ConnectionDriver driver(ExtensionContext.Store store, LeakSession session) {
        ClosedByJUnit<?> driver = store.getOrComputeIfAbsent(DRIVER, k -> new ClosedByJUnit<>(session.newDriver()),
                ClosedByJUnit.class);
        return (ConnectionDriver) driver.value();
    }

    private boolean isOwner(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(OWNER) == owner;
    }

    private static boolean notStarted(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(NOT_STARTED) != null;
    }

    private static LeakSession session(ExtensionContext context) {
        ClosedByJUnit<?> session = context.getStore(NAMESPACE).get(SESSION, ClosedByJUnit.class);
        if (session == null) {
            throw new ExtensionConfigurationException("Leakproof has no session for " + context.getDisplayName()
                    + ": the extension must be registered on the test class (or a static @RegisterExtension field)");
        }
        return (LeakSession) session.value();
    }

    private static TestId testId(ExtensionContext context) {
        return new TestId(context.getDisplayName(), context.getUniqueId(), context.getRequiredTestClass().getName(),
                context.getTestMethod().map(Method::getName).orElse(null));
    }

    private static TestVerdict.TestState state(Optional<Throwable> testFailure) {
        if (testFailure.isEmpty()) {
            return TestVerdict.TestState.PASSED;
        }
        return testFailure.get() instanceof TestAbortedException ? TestVerdict.TestState.ABORTED : TestVerdict.TestState.FAILED;
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

    /** Whether the class carries settings of its own (the nearest annotation wins over an enclosing class's). */
    private boolean hasOwnAnnotation(Class<?> testClass) {
        return explicitValues == null && AnnotationSupport.isAnnotated(testClass, DetectConnectionLeaks.class);
    }

    private ConfigSource configSource(ExtensionContext context, Class<?> testClass) {
        ConfigSource source = new ConfigSource(context::getConfigurationParameter);
        if (explicitValues != null) {
            explicitValues.accept(source);
        } else {
            source.annotations(testClass);
        }
        return source;
    }
}
