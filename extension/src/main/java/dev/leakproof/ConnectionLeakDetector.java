package dev.leakproof;

import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import dev.leakproof.internal.config.Setting;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.pipeline.PipelineSource;
import dev.leakproof.internal.session.LeakExtension;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

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
 * <p>Builder values win over configuration parameters, which win over defaults; bad values fail
 * the class with an {@link ExtensionConfigurationException} naming key and value. Tests can declare
 * parameters of type {@link TlsFixtureServer}, {@link ConnectionDriver} (with these settings,
 * closed after the test), {@link LeakTracker} and {@link ResourceGrowth}. Under JUnit's parallel
 * execution, annotate the class {@link org.junit.jupiter.api.parallel.Isolated @Isolated} (the
 * annotation does it for you): the checks see the whole JVM; a class without it fails fast.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ConnectionLeakDetector
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver,
        TestWatcher {

    private final LeakExtension extension;

    /** Used by JUnit for {@link DetectConnectionLeaks} and the opt-in checks' annotations. */
    ConnectionLeakDetector() {
        this.extension = new LeakExtension(this, null, null);
    }

    private ConnectionLeakDetector(Builder builder) {
        Map<Setting<?>, Object[]> values = Map.copyOf(builder.values);
        this.extension = new LeakExtension(this,
                source -> values.forEach((setting, value) -> source.explicit(setting, value[0], (String) value[1])),
                builder.pipeline);
    }

    /** Settings in code, for {@code @RegisterExtension}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        extension.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        extension.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        extension.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        extension.afterAll(context);
    }

    /** A disabled test is listed in the report as skipped; nothing ran, so nothing is judged. */
    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        extension.testDisabled(context, reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return LeakExtension.supportsParameter(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return extension.resolveParameter(parameterContext.getParameter().getType(), context);
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
        private final Map<Setting<?>, Object[]> values = new IdentityHashMap<>();
        private PipelineSource pipeline;

        private Builder() {
        }

        /** See {@link DetectConnectionLeaks#cycles()}. */
        public Builder cycles(int cycles) {
            return set(Settings.CYCLES, cycles, "cycles(" + cycles + ")");
        }

        /** See {@link DetectConnectionLeaks#concurrency()}. */
        public Builder concurrency(int concurrency) {
            return set(Settings.CONCURRENCY, concurrency, "concurrency(" + concurrency + ")");
        }

        /** See {@link DetectConnectionLeaks#provider()}: {@link TlsImplementation} there, the fixture's enum here. */
        public Builder provider(TlsProvider provider) {
            return set(Settings.PROVIDER, provider, "provider(" + provider + ")");
        }

        /** See {@link DetectConnectionLeaks#closeStyle()}: {@link ConnectionClose} there, the fixture's enum here. */
        public Builder closeStyle(CloseStyle style) {
            return set(Settings.CLOSE_STYLE, style, "closeStyle(" + style + ")");
        }

        /** See {@link DetectConnectionLeaks#gracePeriod()}. */
        public Builder gracePeriod(Duration gracePeriod) {
            return set(Settings.GRACE_PERIOD, gracePeriod.toString(), "gracePeriod(" + gracePeriod + ")");
        }

        /** See {@link DetectConnectionLeaks#exchange()}. */
        public Builder exchange(LineScript exchange) {
            return set(Settings.EXCHANGE, exchange.steps(), "exchange(" + exchange + ")");
        }

        /** See {@link RetainedSizeBudget#perConnection()}, e.g. {@code "16KB"}; setting it turns the check on. */
        public Builder maxRetainedPerConnection(String budget) {
            return set(Settings.MAX_RETAINED_PER_CONNECTION, budget, "maxRetainedPerConnection(\"" + budget + "\")");
        }

        /** See {@link RetainedSizeBudget#connections()}. */
        public Builder retainedSizeConnections(int connections) {
            return set(Settings.RETAINED_SIZE_CONNECTIONS, connections, "retainedSizeConnections(" + connections + ")");
        }

        /** See {@link GrowthRun#cycles()}; setting it (above 0) turns the growth run on. */
        public Builder growthCycles(int cycles) {
            return set(Settings.GROWTH_CYCLES, cycles, "growthCycles(" + cycles + ")");
        }

        /** See {@link DetectConnectionLeaks#growthAllowlist()}. */
        public Builder growthAllowlist(String... patterns) {
            return set(Settings.GROWTH_ALLOWLIST, List.of(patterns), "growthAllowlist(" + String.join(", ", patterns) + ")");
        }

        /** See {@link DetectConnectionLeaks#judgeGrowth()}. */
        public Builder judgeGrowth(boolean judge) {
            return set(Settings.JUDGE_GROWTH, judge, "judgeGrowth(" + judge + ")");
        }

        /** See {@link DetectConnectionLeaks#serverName()}, e.g. {@code "c{cycle}.leakproof.test"} or {@code "localhost"}. */
        public Builder serverName(String name) {
            return set(Settings.SERVER_NAME, name, "serverName(\"" + name + "\")");
        }

        /** See {@link DetectConnectionLeaks#protocol()}. */
        public Builder protocol(Protocol protocol) {
            return set(Settings.PROTOCOL, protocol, "protocol(" + protocol + ")");
        }

        /** See {@link DetectConnectionLeaks#requestPath()}. */
        public Builder requestPath(String path) {
            return set(Settings.REQUEST_PATH, path, "requestPath(\"" + path + "\")");
        }

        /** See {@link DetectConnectionLeaks#requestHeaders()}: {@code "Name: value"} each. */
        public Builder requestHeaders(String... headers) {
            return set(Settings.REQUEST_HEADERS, List.of(headers), "requestHeaders(" + String.join(", ", headers) + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTrace()}. */
        public Builder leakTrace(boolean enabled) {
            return set(Settings.LEAK_TRACE, enabled, "leakTrace(" + enabled + ")");
        }

        /** See {@link DetectConnectionLeaks#keepHeapDump()}. */
        public Builder keepHeapDump(boolean keep) {
            return set(Settings.KEEP_HEAP_DUMP, keep, "keepHeapDump(" + keep + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTraceTimeout()}. */
        public Builder leakTraceTimeout(Duration timeout) {
            return set(Settings.LEAK_TRACE_TIMEOUT, timeout.toString(), "leakTraceTimeout(" + timeout + ")");
        }

        /** See {@link DetectConnectionLeaks#leakTraceIgnore()}. */
        public Builder leakTraceIgnore(String... references) {
            return set(Settings.LEAK_TRACE_IGNORE, List.of(references),
                    "leakTraceIgnore(" + String.join(", ", references) + ")");
        }

        /** See {@link DetectConnectionLeaks#service()}: {@link BuiltInService} there, the fixture's enum here. */
        public Builder service(FixtureService service) {
            return set(Settings.SERVICE, service, "service(" + service + ")");
        }

        /** See {@link DetectConnectionLeaks#port()}. */
        public Builder port(int port) {
            return set(Settings.PORT, port, "port(" + port + ")");
        }

        /** See {@link DetectConnectionLeaks#maxOpenConnections()}. */
        public Builder maxOpenConnections(int connections) {
            return set(Settings.MAX_OPEN_CONNECTIONS, connections, "maxOpenConnections(" + connections + ")");
        }

        /** See {@link DetectConnectionLeaks#threadAllowlist()}. */
        public Builder threadAllowlist(String... patterns) {
            return set(Settings.THREAD_ALLOWLIST, List.of(patterns), "threadAllowlist(" + String.join(", ", patterns) + ")");
        }

        /** See {@link StepLoad#steps()}; setting them turns the step load check on. */
        public Builder loadSteps(int... steps) {
            return set(Settings.LOAD_STEPS, Arrays.stream(steps).boxed().toList(),
                    "loadSteps(" + Setting.joinNumbers(steps) + ")");
        }

        /** See {@link StepLoad#hold()}. */
        public Builder loadStepHold(Duration hold) {
            return set(Settings.LOAD_STEP_HOLD, hold.toString(), "loadStepHold(" + hold + ")");
        }

        /** See {@link DetectConnectionLeaks#acceptedLeaks()}. */
        public Builder acceptedLeaks(String... references) {
            return set(Settings.ACCEPTED_LEAKS, List.of(references), "acceptedLeaks(" + String.join(", ", references) + ")");
        }

        /** See {@link DetectConnectionLeaks#strictThreads()}. */
        public Builder strictThreads(boolean strict) {
            return set(Settings.STRICT_THREADS, strict, "strictThreads(" + strict + ")");
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

        /** The extension with these settings, to assign to a {@code @RegisterExtension} field. */
        public ConnectionLeakDetector build() {
            return new ConnectionLeakDetector(this);
        }

        // Kept as given and checked when the class starts, so that an error can quote the call.
        private Builder set(Setting<?> setting, Object value, String call) {
            values.put(setting, new Object[] {Objects.requireNonNull(value, call), "ConnectionLeakDetector.builder()." + call});
            return this;
        }
    }
}
