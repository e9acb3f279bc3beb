package dev.leakproof;

import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.internal.ConfigSource;
import dev.leakproof.internal.LeakSession;
import dev.leakproof.internal.LeakSettings;
import dev.leakproof.internal.PipelineMethod;
import dev.leakproof.internal.PipelineSource;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The leak detection extension. Apply it with {@link DetectConnectionLeaks} on the test class, or
 * register it in code when settings belong in code:
 *
 * <pre>{@code
 * class ChatServerLeakTests {
 *
 *     @RegisterExtension
 *     static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder()
 *             .cycles(500)
 *             .closeStyle(CloseStyle.ABRUPT_RESET)
 *             .pipeline(tracker -> new ChatServerInitializer(ChatServerConfig.defaults(), new ChatHub()))
 *             .build();
 *
 *     @Test
 *     void resetConnectionsLeaveNothingBehind(ConnectionDriver driver) {
 *         assertThat(driver.run().failures()).isZero();
 *     }
 * }
 * }</pre>
 *
 * <p>Values set on the builder win over configuration parameters, which win over defaults; bad
 * values fail the test class with an {@link ExtensionConfigurationException} naming the key and
 * value. Test methods can declare parameters of type {@link TlsFixtureServer},
 * {@link ConnectionDriver} (configured with these settings, closed after the test),
 * {@link LeakTracker} and {@link OpenConnectionGrowth}. Test classes using it must not run concurrently with each other: Netty's
 * leak detection level is global.
 */
public final class ConnectionLeakDetector
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ConnectionLeakDetector.class);
    private static final String SESSION = "session";
    private static final String OWNER = "owner";
    private static final String DRIVER = "driver";

    private final Builder builder; // null when applied through @DetectConnectionLeaks

    /** Used by JUnit for {@link DetectConnectionLeaks}. */
    ConnectionLeakDetector() {
        this(null);
    }

    private ConnectionLeakDetector(Builder builder) {
        this.builder = builder;
    }

    /** Settings in code, for {@code @RegisterExtension}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Object owner = store.get(OWNER);
        if (owner != null && owner != this && context.getUniqueId().equals(store.get(OWNER + ".context"))) {
            throw new ExtensionConfigurationException("Leakproof is registered twice on "
                    + context.getRequiredTestClass().getName() + ": use either @DetectConnectionLeaks or a "
                    + "@RegisterExtension ConnectionLeakDetector, not both");
        }
        if (store.get(SESSION) != null) {
            return; // a @Nested class: the enclosing class's session serves it
        }
        store.put(OWNER, this);
        store.put(OWNER + ".context", context.getUniqueId());
        Class<?> testClass = context.getRequiredTestClass();
        LeakSettings settings = LeakSettings.resolve(configSource(context, testClass));
        Optional<PipelineMethod> method = PipelineMethod.find(testClass);
        PipelineSource builderPipeline = builder == null ? null : builder.pipeline;
        if (method.isPresent() && builderPipeline != null) {
            throw new ExtensionConfigurationException("Two server pipelines for " + testClass.getName()
                    + ": a @ServerPipeline method and ConnectionLeakDetector.builder().pipeline(...); keep one");
        }
        store.put(SESSION, new LeakSession(testClass, settings, method, builderPipeline));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        session(context).beforeTest(context.getTestInstance().orElse(null));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        LeakSession session = session(context);
        Optional<Throwable> testFailure = context.getExecutionException();
        if (testFailure.isEmpty()) {
            session.driveIfTestOpenedNothing().ifPresent(problem -> {
                throw new AssertionError(problem);
            });
        }
        report(session.verdict(context.getDisplayName(), testFailure.isPresent()), testFailure);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!isOwner(context) || !context.getUniqueId().equals(context.getStore(NAMESPACE).get(OWNER + ".context"))) {
            return;
        }
        LeakSession session = session(context);
        Optional<Throwable> classFailure = context.getExecutionException();
        try {
            List<AssertionError> findings = new ArrayList<>();
            if (session.hasUnjudgedActivity()) {
                session.verdict("outside tests (@BeforeAll, @AfterAll)", classFailure.isPresent()).ifPresent(findings::add);
            }
            session.classChecks().ifPresent(findings::add);
            // The class-level checks drive connections of their own: judge them too.
            if (session.hasUnjudgedActivity()) {
                session.verdict("class-level checks", classFailure.isPresent()).ifPresent(findings::add);
            }
            session.classThreads().ifPresent(findings::add);
            if (!findings.isEmpty()) {
                AssertionError first = findings.get(0);
                findings.subList(1, findings.size()).forEach(first::addSuppressed);
                report(Optional.of(first), classFailure);
            }
        } finally {
            session.writeReport();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TlsFixtureServer.class || type == ConnectionDriver.class || type == LeakTracker.class
                || type == OpenConnectionGrowth.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        LeakSession session = session(context);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == TlsFixtureServer.class) {
            return session.server();
        }
        if (type == LeakTracker.class) {
            return session.tracker();
        }
        if (type == OpenConnectionGrowth.class) {
            return session.openConnectionGrowth();
        }
        // One driver per test (or per class for @BeforeAll), closed with the context that made it.
        return context.getStore(NAMESPACE).computeIfAbsent(DRIVER, k -> session.newDriver(), ConnectionDriver.class);
    }

    private boolean isOwner(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(OWNER) == this;
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
        if (builder != null) {
            builder.values.forEach((key, value) -> source.explicit(key, value[0], value[1]));
            return source;
        }
        AnnotationSupport.findAnnotation(testClass, DetectConnectionLeaks.class).ifPresent(a -> {
            explicitInt(source, DetectConnectionLeaks.CYCLES_PROPERTY_NAME, "cycles", a.cycles());
            explicitInt(source, DetectConnectionLeaks.CONCURRENCY_PROPERTY_NAME, "concurrency", a.concurrency());
            explicitString(source, DetectConnectionLeaks.PROVIDER_PROPERTY_NAME, "provider", a.provider());
            explicitString(source, DetectConnectionLeaks.CLOSE_STYLE_PROPERTY_NAME, "closeStyle", a.closeStyle());
            explicitString(source, DetectConnectionLeaks.GRACE_PERIOD_PROPERTY_NAME, "gracePeriod", a.gracePeriod());
            explicitStrings(source, DetectConnectionLeaks.EXCHANGE_PROPERTY_NAME, "exchange", a.exchange());
            explicitString(source, DetectConnectionLeaks.MAX_RETAINED_PER_CONNECTION_PROPERTY_NAME,
                    "maxRetainedPerConnection", a.maxRetainedPerConnection());
            explicitInt(source, DetectConnectionLeaks.RETAINED_SIZE_CONNECTIONS_PROPERTY_NAME, "retainedSizeConnections",
                    a.retainedSizeConnections());
            explicitInt(source, DetectConnectionLeaks.GROWTH_CYCLES_PROPERTY_NAME, "growthCycles", a.growthCycles());
            explicitStrings(source, DetectConnectionLeaks.GROWTH_ALLOWLIST_PROPERTY_NAME, "growthAllowlist",
                    a.growthAllowlist());
            if (!a.leakTrace()) {
                source.explicit(DetectConnectionLeaks.LEAK_TRACE_PROPERTY_NAME, "false", "@DetectConnectionLeaks(leakTrace = false)");
            }
            if (a.keepHeapDump()) {
                source.explicit(DetectConnectionLeaks.KEEP_HEAP_DUMP_PROPERTY_NAME, "true",
                        "@DetectConnectionLeaks(keepHeapDump = true)");
            }
            explicitString(source, DetectConnectionLeaks.LEAK_TRACE_TIMEOUT_PROPERTY_NAME, "leakTraceTimeout",
                    a.leakTraceTimeout());
            explicitStrings(source, DetectConnectionLeaks.LEAK_TRACE_IGNORE_PROPERTY_NAME, "leakTraceIgnore",
                    a.leakTraceIgnore());
            explicitString(source, DetectConnectionLeaks.SERVICE_PROPERTY_NAME, "service", a.service());
            explicitInt(source, DetectConnectionLeaks.MAX_OPEN_CONNECTIONS_PROPERTY_NAME, "maxOpenConnections",
                    a.maxOpenConnections());
            explicitStrings(source, DetectConnectionLeaks.THREAD_ALLOWLIST_PROPERTY_NAME, "threadAllowlist",
                    a.threadAllowlist());
            if (a.loadSteps().length > 0) {
                String steps = LeakSettings.joinSteps(a.loadSteps());
                source.explicit(DetectConnectionLeaks.LOAD_STEPS_PROPERTY_NAME, steps,
                        "@DetectConnectionLeaks(loadSteps = {" + steps + "})");
            }
            explicitString(source, DetectConnectionLeaks.LOAD_STEP_HOLD_PROPERTY_NAME, "loadStepHold", a.loadStepHold());
        });
        return source;
    }

    private static void explicitInt(ConfigSource source, String key, String attribute, int value) {
        if (value != DetectConnectionLeaks.UNSET) {
            source.explicit(key, Integer.toString(value), "@DetectConnectionLeaks(" + attribute + " = " + value + ")");
        }
    }

    private static void explicitStrings(ConfigSource source, String key, String attribute, String[] values) {
        if (values.length > 0) {
            source.explicit(key, LeakSettings.join(values), "@DetectConnectionLeaks(" + attribute + " = {\""
                    + String.join("\", \"", values) + "\"})");
        }
    }

    private static void explicitString(ConfigSource source, String key, String attribute, String value) {
        if (!value.isEmpty()) {
            source.explicit(key, value, "@DetectConnectionLeaks(" + attribute + " = \"" + value + "\")");
        }
    }

    /**
     * Configures a {@link ConnectionLeakDetector} in code. Values are checked when the test class
     * starts, and a bad one fails it with an {@link ExtensionConfigurationException}.
     *
     * <pre>{@code
     * @RegisterExtension
     * static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().cycles(200).build();
     * }</pre>
     */
    public static final class Builder {
        private final java.util.Map<String, String[]> values = new java.util.LinkedHashMap<>();
        private PipelineSource pipeline;

        private Builder() {
        }

        /** See {@link DetectConnectionLeaks#cycles()}. */
        public Builder cycles(int cycles) {
            return set(DetectConnectionLeaks.CYCLES_PROPERTY_NAME, Integer.toString(cycles), "cycles(" + cycles + ")");
        }

        /** See {@link DetectConnectionLeaks#concurrency()}. */
        public Builder concurrency(int concurrency) {
            return set(DetectConnectionLeaks.CONCURRENCY_PROPERTY_NAME, Integer.toString(concurrency),
                    "concurrency(" + concurrency + ")");
        }

        /** See {@link DetectConnectionLeaks#provider()}. */
        public Builder provider(TlsProvider provider) {
            return set(DetectConnectionLeaks.PROVIDER_PROPERTY_NAME, provider.name(), "provider(" + provider + ")");
        }

        /** See {@link DetectConnectionLeaks#closeStyle()}. */
        public Builder closeStyle(CloseStyle style) {
            return set(DetectConnectionLeaks.CLOSE_STYLE_PROPERTY_NAME, style.name(), "closeStyle(" + style + ")");
        }

        /** See {@link DetectConnectionLeaks#gracePeriod()}. */
        public Builder gracePeriod(Duration gracePeriod) {
            return set(DetectConnectionLeaks.GRACE_PERIOD_PROPERTY_NAME, gracePeriod.toString(),
                    "gracePeriod(" + gracePeriod + ")");
        }

        /** See {@link DetectConnectionLeaks#exchange()}. */
        public Builder exchange(LineScript exchange) {
            return set(DetectConnectionLeaks.EXCHANGE_PROPERTY_NAME, String.join(LeakSettings.LIST_SEPARATOR, exchange.steps()),
                    "exchange(" + exchange + ")");
        }

        /** See {@link DetectConnectionLeaks#maxRetainedPerConnection()}, e.g. {@code "16KB"}. */
        public Builder maxRetainedPerConnection(String budget) {
            return set(DetectConnectionLeaks.MAX_RETAINED_PER_CONNECTION_PROPERTY_NAME, budget,
                    "maxRetainedPerConnection(\"" + budget + "\")");
        }

        /** See {@link DetectConnectionLeaks#retainedSizeConnections()}. */
        public Builder retainedSizeConnections(int connections) {
            return set(DetectConnectionLeaks.RETAINED_SIZE_CONNECTIONS_PROPERTY_NAME, Integer.toString(connections),
                    "retainedSizeConnections(" + connections + ")");
        }

        /** See {@link DetectConnectionLeaks#growthCycles()}. */
        public Builder growthCycles(int cycles) {
            return set(DetectConnectionLeaks.GROWTH_CYCLES_PROPERTY_NAME, Integer.toString(cycles),
                    "growthCycles(" + cycles + ")");
        }

        /** See {@link DetectConnectionLeaks#growthAllowlist()}. */
        public Builder growthAllowlist(String... patterns) {
            return set(DetectConnectionLeaks.GROWTH_ALLOWLIST_PROPERTY_NAME, LeakSettings.join(patterns),
                    "growthAllowlist(" + String.join(", ", patterns) + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTrace()}. */
        public Builder leakTrace(boolean enabled) {
            return set(DetectConnectionLeaks.LEAK_TRACE_PROPERTY_NAME, Boolean.toString(enabled), "leakTrace(" + enabled + ")");
        }

        /** See {@link DetectConnectionLeaks#keepHeapDump()}. */
        public Builder keepHeapDump(boolean keep) {
            return set(DetectConnectionLeaks.KEEP_HEAP_DUMP_PROPERTY_NAME, Boolean.toString(keep), "keepHeapDump(" + keep + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTraceTimeout()}. */
        public Builder leakTraceTimeout(Duration timeout) {
            return set(DetectConnectionLeaks.LEAK_TRACE_TIMEOUT_PROPERTY_NAME, timeout.toString(),
                    "leakTraceTimeout(" + timeout + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTraceIgnore()}. */
        public Builder leakTraceIgnore(String... references) {
            return set(DetectConnectionLeaks.LEAK_TRACE_IGNORE_PROPERTY_NAME, LeakSettings.join(references),
                    "leakTraceIgnore(" + String.join(", ", references) + ")");
        }

        /** See {@link DetectConnectionLeaks#service()}. */
        public Builder service(FixtureService service) {
            return set(DetectConnectionLeaks.SERVICE_PROPERTY_NAME, service.name(), "service(" + service + ")");
        }

        /** See {@link DetectConnectionLeaks#maxOpenConnections()}. */
        public Builder maxOpenConnections(int connections) {
            return set(DetectConnectionLeaks.MAX_OPEN_CONNECTIONS_PROPERTY_NAME, Integer.toString(connections),
                    "maxOpenConnections(" + connections + ")");
        }

        /** See {@link DetectConnectionLeaks#threadAllowlist()}. */
        public Builder threadAllowlist(String... patterns) {
            return set(DetectConnectionLeaks.THREAD_ALLOWLIST_PROPERTY_NAME, LeakSettings.join(patterns),
                    "threadAllowlist(" + String.join(", ", patterns) + ")");
        }

        /** See {@link DetectConnectionLeaks#loadSteps()}. */
        public Builder loadSteps(int... steps) {
            String list = LeakSettings.joinSteps(steps);
            return set(DetectConnectionLeaks.LOAD_STEPS_PROPERTY_NAME, list, "loadSteps(" + list + ")");
        }

        /** See {@link DetectConnectionLeaks#loadStepHold()}. */
        public Builder loadStepHold(Duration hold) {
            return set(DetectConnectionLeaks.LOAD_STEP_HOLD_PROPERTY_NAME, hold.toString(), "loadStepHold(" + hold + ")");
        }

        /** The server pipeline under test, built once per test class; see {@link ServerPipeline}. */
        public Builder pipeline(Function<LeakTracker, ChannelInitializer<Channel>> initializer) {
            this.pipeline = PipelineSource.initializer(Objects.requireNonNull(initializer, "initializer"));
            return this;
        }

        /** One new handler per connection as the server pipeline under test. */
        public Builder handlerPerConnection(Supplier<? extends ChannelHandler> handler) {
            this.pipeline = PipelineSource.handlerPerConnection(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        public ConnectionLeakDetector build() {
            return new ConnectionLeakDetector(this);
        }

        /** Raw values are kept as written, so that checking them later can quote the call. */
        Builder set(String key, String value, String call) {
            values.put(key, new String[] {value, "ConnectionLeakDetector.builder()." + call});
            return this;
        }
    }
}
