package dev.leakproof.internal;

import static dev.leakproof.DetectConnectionLeaks.CLOSE_STYLE_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.CONCURRENCY_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.CYCLES_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.EXCHANGE_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.GRACE_PERIOD_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.GROWTH_ALLOWLIST_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.GROWTH_CYCLES_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.MAX_RETAINED_PER_CONNECTION_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.PROVIDER_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME;
import static dev.leakproof.DetectConnectionLeaks.RETAINED_SIZE_CONNECTIONS_PROPERTY_NAME;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import shark.ReferenceMatcher;

/**
 * Every setting of one test class, resolved once (attribute or builder value, then configuration
 * parameter, then default) and checked together.
 *
 * @param exchange the class's exchange, or empty for the default of the hosted service
 * @param maxRetainedPerConnection budget in bytes, or -1 for none
 * @param budgetExplicit whether the budget was set on the annotation or builder (then a JOL that
 *     cannot measure fails the class; a budget from a configuration parameter is skipped instead)
 */
public record LeakSettings(int cycles, int concurrency, TlsProvider provider, CloseStyle closeStyle,
        Duration gracePeriod, Optional<LineScript> exchange, long maxRetainedPerConnection, boolean budgetExplicit,
        int retainedSizeConnections, int growthCycles, List<Pattern> growthAllowlist, Path reportDirectory,
        boolean leakTrace, boolean keepHeapDump, Duration leakTraceTimeout, List<ReferenceMatcher> leakTraceIgnore,
        FixtureService service, int maxOpenConnections, List<Pattern> threadAllowlist, List<Integer> loadSteps,
        Duration loadStepHold) {

    /** Separates steps or patterns in a configuration parameter. */
    public static final String LIST_SEPARATOR = " | ";

    static final Setting<Integer> CYCLES = Setting.of(CYCLES_PROPERTY_NAME, "1000", Setting.intAtLeast(1));
    static final Setting<Integer> CONCURRENCY = Setting.of(CONCURRENCY_PROPERTY_NAME, "8", Setting.intAtLeast(1));
    static final Setting<TlsProvider> PROVIDER = Setting.of(PROVIDER_PROPERTY_NAME, "jdk", TlsProvider::parse);
    static final Setting<CloseStyle> CLOSE_STYLE = Setting.of(CLOSE_STYLE_PROPERTY_NAME, "client-close", CloseStyle::parse);
    static final Setting<Duration> GRACE_PERIOD = Setting.of(GRACE_PERIOD_PROPERTY_NAME, "5s", Setting.positiveDuration());
    static final Setting<Optional<LineScript>> EXCHANGE = Setting.of(EXCHANGE_PROPERTY_NAME, "",
            raw -> raw.isBlank() ? Optional.empty() : Optional.of(LineScript.of(split(raw).stream()
                    .map(LeakSettings::normalizeStep).toList())));
    static final Setting<Long> MAX_RETAINED = Setting.of(MAX_RETAINED_PER_CONNECTION_PROPERTY_NAME, "-1", Setting.byteSize());
    static final Setting<Integer> RETAINED_CONNECTIONS =
            Setting.of(RETAINED_SIZE_CONNECTIONS_PROPERTY_NAME, "200", Setting.intAtLeast(20));
    static final Setting<Integer> GROWTH_CYCLES = Setting.of(GROWTH_CYCLES_PROPERTY_NAME, "0", Setting.intAtLeast(0));
    static final Setting<List<Pattern>> GROWTH_ALLOWLIST = Setting.of(GROWTH_ALLOWLIST_PROPERTY_NAME, "",
            raw -> raw.isBlank() ? List.of() : split(raw).stream().map(LeakSettings::pattern).toList());
    static final Setting<Path> REPORT_DIRECTORY = Setting.of(REPORT_DIRECTORY_PROPERTY_NAME, "target/leak-reports",
            raw -> {
                if (raw.isBlank()) {
                    throw new IllegalArgumentException("must name a directory");
                }
                return Path.of(raw);
            });

    static final Setting<Boolean> LEAK_TRACE = Setting.of(DetectConnectionLeaks.LEAK_TRACE_PROPERTY_NAME, "true", Setting.bool());
    static final Setting<Boolean> KEEP_HEAP_DUMP =
            Setting.of(DetectConnectionLeaks.KEEP_HEAP_DUMP_PROPERTY_NAME, "false", Setting.bool());
    static final Setting<Duration> LEAK_TRACE_TIMEOUT =
            Setting.of(DetectConnectionLeaks.LEAK_TRACE_TIMEOUT_PROPERTY_NAME, "30s", Setting.positiveDuration());
    static final Setting<List<ReferenceMatcher>> LEAK_TRACE_IGNORE = Setting.of(
            DetectConnectionLeaks.LEAK_TRACE_IGNORE_PROPERTY_NAME, "",
            raw -> raw.isBlank() ? List.of() : LeakTraces.parseIgnored(split(raw)));

    static final Setting<FixtureService> SERVICE =
            Setting.of(DetectConnectionLeaks.SERVICE_PROPERTY_NAME, "echo", FixtureService::parse);
    static final Setting<Integer> MAX_OPEN_CONNECTIONS =
            Setting.of(DetectConnectionLeaks.MAX_OPEN_CONNECTIONS_PROPERTY_NAME, "0", Setting.intAtLeast(0));
    static final Setting<List<Pattern>> THREAD_ALLOWLIST = Setting.of(DetectConnectionLeaks.THREAD_ALLOWLIST_PROPERTY_NAME,
            "", raw -> raw.isBlank() ? List.of() : split(raw).stream().map(LeakSettings::pattern).toList());
    static final Setting<List<Integer>> LOAD_STEPS = Setting.of(DetectConnectionLeaks.LOAD_STEPS_PROPERTY_NAME, "",
            LeakSettings::loadSteps);
    static final Setting<Duration> LOAD_STEP_HOLD =
            Setting.of(DetectConnectionLeaks.LOAD_STEP_HOLD_PROPERTY_NAME, "2s", Setting.positiveDuration());

    public static LeakSettings resolve(ConfigSource source) {
        int cycles = CYCLES.resolve(source);
        int concurrency = CONCURRENCY.resolve(source);
        if (concurrency > cycles) {
            throw new ExtensionConfigurationException("Invalid Leakproof settings: " + CONCURRENCY_PROPERTY_NAME
                    + " = " + concurrency + " is more than " + CYCLES_PROPERTY_NAME + " = " + cycles
                    + "; connections in flight cannot outnumber the cycles");
        }
        return new LeakSettings(cycles, concurrency, PROVIDER.resolve(source), CLOSE_STYLE.resolve(source),
                GRACE_PERIOD.resolve(source), EXCHANGE.resolve(source), MAX_RETAINED.resolve(source),
                source.isExplicit(MAX_RETAINED_PER_CONNECTION_PROPERTY_NAME), RETAINED_CONNECTIONS.resolve(source),
                GROWTH_CYCLES.resolve(source), GROWTH_ALLOWLIST.resolve(source), REPORT_DIRECTORY.resolve(source),
                LEAK_TRACE.resolve(source), KEEP_HEAP_DUMP.resolve(source), LEAK_TRACE_TIMEOUT.resolve(source),
                LEAK_TRACE_IGNORE.resolve(source), SERVICE.resolve(source), MAX_OPEN_CONNECTIONS.resolve(source),
                THREAD_ALLOWLIST.resolve(source), LOAD_STEPS.resolve(source), LOAD_STEP_HOLD.resolve(source));
    }

    /** Joins annotation array values into one configuration value. */
    public static String join(String[] values) {
        return String.join(LIST_SEPARATOR, values);
    }

    static List<String> split(String raw) {
        return Arrays.stream(raw.split(Pattern.quote(LIST_SEPARATOR))).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** {@code ">LOGIN"} and {@code ">  LOGIN"} mean {@code "> LOGIN"}: a configuration value is typed by hand. */
    private static String normalizeStep(String step) {
        return step.startsWith(">") || step.startsWith("<") ? step.charAt(0) + " " + step.substring(1).strip() : step;
    }

    /** Load steps as one configuration value, {@code 100, 500, 1000}: the form the loadSteps setting reads. */
    public static String joinSteps(int[] steps) {
        return Arrays.stream(steps).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(", "));
    }

    private static List<Integer> loadSteps(String raw) {
        if (raw.isBlank()) {
            return List.of();
        }
        List<Integer> steps = new java.util.ArrayList<>();
        for (String part : raw.split(",")) {
            int step;
            try {
                step = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a connection count: use e.g. 100, 500, 1000");
            }
            if (step < 1 || (!steps.isEmpty() && step <= steps.get(steps.size() - 1))) {
                throw new IllegalArgumentException("load steps must be positive and rising, e.g. 100, 500, 1000");
            }
            steps.add(step);
        }
        return List.copyOf(steps);
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }
}
