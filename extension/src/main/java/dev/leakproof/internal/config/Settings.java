package dev.leakproof.internal.config;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.GrowthRun;
import dev.leakproof.Protocol;
import dev.leakproof.RetainedSizeBudget;
import dev.leakproof.StepLoad;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.HttpRequests;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The settings table: every setting of Leakproof declared once, with its configuration parameter,
 * the annotation attribute it reads ({@link DetectConnectionLeaks}'s, or an opt-in check's own
 * annotation), its default and its check. The meaning of each is documented on the attribute. To
 * add a setting: declare it here, add it to {@link #ALL}, add the attribute (and its parameter name
 * constant) to the annotation, a method to {@code ConnectionLeakDetector.Builder} and a row to
 * {@code docs/settings.md}; {@code SettingsInStepTests} fails, naming what is missing, until all
 * four agree.
 *
 * <pre>{@code
 * int cycles = settings.get(Settings.CYCLES);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Settings {

    private static final Class<DetectConnectionLeaks> LEAKS = DetectConnectionLeaks.class;

    public static final Setting<Integer> CYCLES = Setting.wholeNumber(
            DetectConnectionLeaks.CYCLES_PROPERTY_NAME, LEAKS, "cycles", 1000, 1, DetectConnectionLeaks::cycles);
    public static final Setting<Integer> CONCURRENCY = Setting.wholeNumber(
            DetectConnectionLeaks.CONCURRENCY_PROPERTY_NAME, LEAKS, "concurrency", 8, 1,
            DetectConnectionLeaks::concurrency);
    public static final Setting<TlsProvider> PROVIDER = Setting.typed(
            DetectConnectionLeaks.PROVIDER_PROPERTY_NAME, LEAKS, "provider", TlsProvider.class, "jdk",
            TlsProvider::parse, DetectConnectionLeaks::provider);
    public static final Setting<CloseStyle> CLOSE_STYLE = Setting.typed(
            DetectConnectionLeaks.CLOSE_STYLE_PROPERTY_NAME, LEAKS, "closeStyle", CloseStyle.class, "client-close",
            CloseStyle::parse, DetectConnectionLeaks::closeStyle);
    public static final Setting<Duration> GRACE_PERIOD = Setting.text(
            DetectConnectionLeaks.GRACE_PERIOD_PROPERTY_NAME, LEAKS, "gracePeriod", "5s", Parsers::positiveDuration,
            DetectConnectionLeaks::gracePeriod);
    /** Empty: the hosted service's own default exchange. */
    public static final Setting<Optional<LineScript>> EXCHANGE = Setting.list(
            DetectConnectionLeaks.EXCHANGE_PROPERTY_NAME, LEAKS, "exchange", Parsers::exchange,
            DetectConnectionLeaks::exchange);
    /** Bytes, or -1 for no budget: the retained size check runs when it is set. */
    public static final Setting<Long> MAX_RETAINED_PER_CONNECTION = Setting.text(
            RetainedSizeBudget.PER_CONNECTION_PROPERTY_NAME, RetainedSizeBudget.class, "perConnection", "-1",
            Parsers::byteSize, RetainedSizeBudget::perConnection);
    public static final Setting<Integer> RETAINED_SIZE_CONNECTIONS = Setting.wholeNumber(
            RetainedSizeBudget.CONNECTIONS_PROPERTY_NAME, RetainedSizeBudget.class, "connections", 200, 20,
            RetainedSizeBudget::connections);
    /** 0: no growth run of the class. */
    public static final Setting<Integer> GROWTH_CYCLES = Setting.wholeNumber(
            GrowthRun.CYCLES_PROPERTY_NAME, GrowthRun.class, "cycles", 0, 0, GrowthRun::cycles);
    public static final Setting<List<Pattern>> GROWTH_ALLOWLIST = Setting.list(
            DetectConnectionLeaks.GROWTH_ALLOWLIST_PROPERTY_NAME, LEAKS, "growthAllowlist", Parsers::patterns,
            DetectConnectionLeaks::growthAllowlist);
    public static final Setting<Boolean> LEAK_TRACE = Setting.flag(
            DetectConnectionLeaks.LEAK_TRACE_PROPERTY_NAME, LEAKS, "leakTrace", true, DetectConnectionLeaks::leakTrace);
    public static final Setting<Boolean> KEEP_HEAP_DUMP = Setting.flag(
            DetectConnectionLeaks.KEEP_HEAP_DUMP_PROPERTY_NAME, LEAKS, "keepHeapDump", false,
            DetectConnectionLeaks::keepHeapDump);
    public static final Setting<Duration> LEAK_TRACE_TIMEOUT = Setting.text(
            DetectConnectionLeaks.LEAK_TRACE_TIMEOUT_PROPERTY_NAME, LEAKS, "leakTraceTimeout", "30s",
            Parsers::positiveDuration, DetectConnectionLeaks::leakTraceTimeout);
    public static final Setting<List<ReferenceSpec>> LEAK_TRACE_IGNORE = Setting.list(
            DetectConnectionLeaks.LEAK_TRACE_IGNORE_PROPERTY_NAME, LEAKS, "leakTraceIgnore", Parsers::references,
            DetectConnectionLeaks::leakTraceIgnore);
    public static final Setting<FixtureService> SERVICE = Setting.typed(
            DetectConnectionLeaks.SERVICE_PROPERTY_NAME, LEAKS, "service", FixtureService.class, "echo",
            FixtureService::parse, DetectConnectionLeaks::service);
    public static final Setting<Integer> MAX_OPEN_CONNECTIONS = Setting.wholeNumber(
            DetectConnectionLeaks.MAX_OPEN_CONNECTIONS_PROPERTY_NAME, LEAKS, "maxOpenConnections", 8, 0,
            DetectConnectionLeaks::maxOpenConnections);
    /** 0: a free port. */
    public static final Setting<Integer> PORT = Setting.wholeNumber(
            DetectConnectionLeaks.PORT_PROPERTY_NAME, LEAKS, "port", 0, 0, 65535, DetectConnectionLeaks::port);
    public static final Setting<List<Pattern>> THREAD_ALLOWLIST = Setting.list(
            DetectConnectionLeaks.THREAD_ALLOWLIST_PROPERTY_NAME, LEAKS, "threadAllowlist", Parsers::patterns,
            DetectConnectionLeaks::threadAllowlist);
    /** Empty: no step load check. */
    public static final Setting<List<Integer>> LOAD_STEPS = Setting.numbers(
            StepLoad.STEPS_PROPERTY_NAME, StepLoad.class, "steps", Parsers::risingSteps, StepLoad::steps);
    public static final Setting<Duration> LOAD_STEP_HOLD = Setting.text(
            StepLoad.HOLD_PROPERTY_NAME, StepLoad.class, "hold", "2s", Parsers::positiveDuration, StepLoad::hold);
    public static final Setting<List<ReferenceSpec>> ACCEPTED_LEAKS = Setting.list(
            DetectConnectionLeaks.ACCEPTED_LEAKS_PROPERTY_NAME, LEAKS, "acceptedLeaks", Parsers::references,
            DetectConnectionLeaks::acceptedLeaks);
    public static final Setting<Boolean> STRICT_THREADS = Setting.flag(
            DetectConnectionLeaks.STRICT_THREADS_PROPERTY_NAME, LEAKS, "strictThreads", false,
            DetectConnectionLeaks::strictThreads);
    /** Whether every driven run is judged by growth per connection, at checkpoints inside it. */
    public static final Setting<Boolean> JUDGE_GROWTH = Setting.flag(
            DetectConnectionLeaks.JUDGE_GROWTH_PROPERTY_NAME, LEAKS, "judgeGrowth", true,
            DetectConnectionLeaks::judgeGrowth);
    /** The TLS server name each driven connection sends; {@code {cycle}} varies it per connection. */
    public static final Setting<String> SERVER_NAME = Setting.text(
            DetectConnectionLeaks.SERVER_NAME_PROPERTY_NAME, LEAKS, "serverName", ConnectionDriver.VARIED_SERVER_NAME,
            Parsers::serverName, DetectConnectionLeaks::serverName);
    public static final Setting<Protocol> PROTOCOL = Setting.choice(
            DetectConnectionLeaks.PROTOCOL_PROPERTY_NAME, LEAKS, "protocol", Protocol.AUTO, Protocol::parse,
            DetectConnectionLeaks::protocol);
    public static final Setting<String> REQUEST_PATH = Setting.text(
            DetectConnectionLeaks.REQUEST_PATH_PROPERTY_NAME, LEAKS, "requestPath", HttpRequests.DEFAULT_PATH,
            Parsers::requestPath, DetectConnectionLeaks::requestPath);
    /** Empty: the default header, {@code X-Leakproof-Client: c{cycle}}. */
    public static final Setting<List<Map.Entry<String, String>>> REQUEST_HEADERS = Setting.list(
            DetectConnectionLeaks.REQUEST_HEADERS_PROPERTY_NAME, LEAKS, "requestHeaders", Parsers::headers,
            DetectConnectionLeaks::requestHeaders);
    public static final Setting<Path> REPORT_DIRECTORY = Setting.parameter(
            DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME, "target/leak-reports", Parsers::directory);

    /** Every setting, in the order they are resolved (and their errors reported). */
    public static final List<Setting<?>> ALL = List.of(CYCLES, CONCURRENCY, PROVIDER, CLOSE_STYLE, GRACE_PERIOD,
            EXCHANGE, MAX_RETAINED_PER_CONNECTION, RETAINED_SIZE_CONNECTIONS, GROWTH_CYCLES, GROWTH_ALLOWLIST,
            REPORT_DIRECTORY, LEAK_TRACE, KEEP_HEAP_DUMP, LEAK_TRACE_TIMEOUT, LEAK_TRACE_IGNORE, SERVICE,
            MAX_OPEN_CONNECTIONS, THREAD_ALLOWLIST, LOAD_STEPS, LOAD_STEP_HOLD, ACCEPTED_LEAKS, STRICT_THREADS, PORT,
            JUDGE_GROWTH, SERVER_NAME, PROTOCOL, REQUEST_PATH, REQUEST_HEADERS);

    private Settings() {
    }
}
