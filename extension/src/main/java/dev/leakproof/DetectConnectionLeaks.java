package dev.leakproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Proves that every connection to your server leaves nothing behind once it is closed.
 *
 * <p>The extension starts a TLS fixture server on loopback that hosts your server pipeline (the
 * method annotated with {@link ServerPipeline}, or a built-in line echo), lets each test drive
 * connections through it, and after each test:
 * <ol>
 *   <li>waits (bounded) until the server has seen every connection close, and fails with the
 *       client ports of any that stay open;</li>
 *   <li>forces a full GC (also under {@code -XX:+DisableExplicitGC}) and fails when any
 *       per-connection object survives: the Channel, every handler that was in its pipeline, the
 *       SslHandler, the SSLEngine, and whatever the test registered with {@link LeakTracker};</li>
 *   <li>fails when Netty's leak detector (PARANOID during the test) reports a buffer that was
 *       never released.</li>
 * </ol>
 * A test that opens no connection of its own gets {@link #cycles()} connections driven for it
 * after its body, with the built-in {@code ping} exchange.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(cycles = 1000, concurrency = 8)
 * class ChatServerLeakTests {
 *
 *     @ServerPipeline
 *     static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
 *         return new ChatServerInitializer(ChatServerConfig.defaults(), new ChatHub());
 *     }
 *
 *     @Test
 *     void loginAndQuit(ConnectionDriver driver) {
 *         DriverStats stats = driver.run(c -> {
 *             c.send("LOGIN user" + c.cycle());
 *             c.expectLinePrefix("OK");
 *         });
 *         assertThat(stats.failures()).isZero();
 *     }
 * }
 * }</pre>
 *
 * <p>A failure reads like: {@code 37 of 1000 connections leaked: 37 x ChatSessionHandler,
 * 37 x SslHandler, 37 x SSLEngineImpl, 37 x NioSocketChannel survived a full GC (gcRun ran 2
 * collections). Open connections at fixture server: 0.}, followed by what to do next. When the
 * test itself failed, the leak finding is added to its failure as a suppressed exception.
 *
 * <p>One verdict per test method, with JUnit's conventions:
 * <ul>
 *   <li>A {@code @TestFactory} gets one verdict for all its dynamic tests together, after the last
 *       of them: JUnit calls no extension around each dynamic test. Split the factory into test
 *       methods when each case needs a verdict of its own.</li>
 *   <li>A {@code @ParameterizedTest} or {@code @RepeatedTest} gets one verdict per invocation; the
 *       report tells them apart by JUnit's unique id and the method's name.</li>
 *   <li>A test aborted by an assumption is judged (whatever it opened before the assumption) and
 *       recorded as {@code aborted}; a disabled test as {@code skipped}. Neither fails the class.</li>
 *   <li>A {@code @Nested} class shares its enclosing class's fixture server and settings, unless it
 *       carries its own {@code @DetectConnectionLeaks}: then the nearest annotation wins, as with
 *       JUnit's {@code @Timeout}, and the nested class gets its own fixture server and report. Its
 *       attributes are not merged with the enclosing class's: unset ones come from configuration
 *       parameters or defaults.</li>
 * </ul>
 *
 * <pre>{@code
 * @DetectConnectionLeaks(cycles = 1000)
 * class ChatServerLeakTests {
 *     @Nested
 *     @DetectConnectionLeaks(cycles = 100, closeStyle = ConnectionClose.ABRUPT_RESET) // 100, not 1000
 *     class AbruptResets {
 *         @Test
 *         void resetsLeaveNothingBehind(ConnectionDriver driver) {
 *             assertThat(driver.run().failures()).isZero();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Each verdict is also published as JUnit report entries ({@code leakproof.verdict},
 * {@code leakproof.connections}, {@code leakproof.leakedConnections}, {@code leakproof.verdictMillis},
 * {@code leakproof.report}), which Surefire and IDEs show with the test; and every class's report is
 * listed, worst first, in {@code index.html} and {@code index.json} of the report directory.
 *
 * <p>Three checks that cost more run once per class, when asked for with an annotation of their
 * own beside this one: {@link RetainedSizeBudget}, {@link GrowthRun} and {@link StepLoad}.
 *
 * <p>Every attribute has a configuration parameter of the same meaning (in
 * {@code junit-platform.properties} or {@code -D}); an attribute set on the annotation wins over the
 * parameter, which wins over the default. For per-test settings in code, register a
 * {@link ConnectionLeakDetector} with {@code @RegisterExtension} instead.
 *
 * <p>Under JUnit's parallel execution an annotated class runs {@link Isolated isolated}: nothing
 * runs beside it, while other tests keep running in parallel with each other. Threads, file
 * descriptors, loaded classes and Netty's leak detector belong to the whole JVM, and a test running
 * beside a verdict would be counted in it. Its test methods run one after another.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConnectionLeakDetector.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Isolated("Leakproof's checks see the whole JVM: threads, file descriptors, loaded classes, Netty's leak detector")
public @interface DetectConnectionLeaks {

    /** Configuration parameter for {@link #cycles()}. */
    String CYCLES_PROPERTY_NAME = "leakproof.cycles";
    /** Configuration parameter for {@link #concurrency()}. */
    String CONCURRENCY_PROPERTY_NAME = "leakproof.concurrency";
    /** Configuration parameter for {@link #provider()}. */
    String PROVIDER_PROPERTY_NAME = "leakproof.provider";
    /** Configuration parameter for {@link #closeStyle()}. */
    String CLOSE_STYLE_PROPERTY_NAME = "leakproof.closeStyle";
    /** Configuration parameter for {@link #gracePeriod()}. */
    String GRACE_PERIOD_PROPERTY_NAME = "leakproof.gracePeriod";

    /** Configuration parameter for {@link #exchange()}: steps separated by {@code " | "}. */
    String EXCHANGE_PROPERTY_NAME = "leakproof.exchange";
    /** Configuration parameter for {@link #growthAllowlist()}: patterns separated by commas. */
    String GROWTH_ALLOWLIST_PROPERTY_NAME = "leakproof.growthAllowlist";
    /** Configuration parameter for {@link #leakTrace()}. */
    String LEAK_TRACE_PROPERTY_NAME = "leakproof.leakTrace";
    /** Configuration parameter for {@link #keepHeapDump()}. */
    String KEEP_HEAP_DUMP_PROPERTY_NAME = "leakproof.keepHeapDump";
    /** Configuration parameter for {@link #leakTraceTimeout()}. */
    String LEAK_TRACE_TIMEOUT_PROPERTY_NAME = "leakproof.leakTraceTimeout";
    /** Configuration parameter for {@link #leakTraceIgnore()}: references separated by {@code " | "}. */
    String LEAK_TRACE_IGNORE_PROPERTY_NAME = "leakproof.leakTraceIgnore";
    /** Configuration parameter for {@link #service()}. */
    String SERVICE_PROPERTY_NAME = "leakproof.service";
    /** Configuration parameter for {@link #maxOpenConnections()}. */
    String MAX_OPEN_CONNECTIONS_PROPERTY_NAME = "leakproof.maxOpenConnections";
    /** Configuration parameter for {@link #port()}. */
    String PORT_PROPERTY_NAME = "leakproof.port";
    /** Configuration parameter for {@link #threadAllowlist()}: patterns separated by {@code " | "}. */
    String THREAD_ALLOWLIST_PROPERTY_NAME = "leakproof.threadAllowlist";
    /** Configuration parameter for {@link #acceptedLeaks()}: references separated by {@code " | "}. */
    String ACCEPTED_LEAKS_PROPERTY_NAME = "leakproof.acceptedLeaks";
    /** Configuration parameter for {@link #strictThreads()}. */
    String STRICT_THREADS_PROPERTY_NAME = "leakproof.strictThreads";
    /** Configuration parameter for {@link #judgeGrowth()}. */
    String JUDGE_GROWTH_PROPERTY_NAME = "leakproof.judgeGrowth";
    /** Configuration parameter for {@link #serverName()}. */
    String SERVER_NAME_PROPERTY_NAME = "leakproof.serverName";
    /** Configuration parameter for {@link #protocol()}: {@code auto}, {@code http}, {@code lines} or {@code handshake-only}. */
    String PROTOCOL_PROPERTY_NAME = "leakproof.protocol";
    /** Configuration parameter for {@link #requestPath()}. */
    String REQUEST_PATH_PROPERTY_NAME = "leakproof.requestPath";
    /** Configuration parameter for {@link #requestHeaders()}: headers separated by {@code " | "}. */
    String REQUEST_HEADERS_PROPERTY_NAME = "leakproof.requestHeaders";
    /** Configuration parameter: directory of the JSON and HTML reports, {@code target/leak-reports} by default. */
    String REPORT_DIRECTORY_PROPERTY_NAME = "leakproof.reportDirectory";

    /** Sentinel of numeric attributes: not set here, use the configuration parameter or default. */
    int UNSET = -1;

    /**
     * Connect/close cycles each driven run makes (the injected {@code ConnectionDriver}'s default,
     * and the automatic run of a test that opens no connection). Default 1000.
     */
    int cycles() default UNSET;

    /** Connections in flight at once during a driven run. Default 8; at most {@link #cycles()}. */
    int concurrency() default UNSET;

    /** TLS implementation of the fixture server and driver: {@link TlsImplementation#JDK} by default. */
    TlsImplementation provider() default TlsImplementation.DEFAULT;

    /** How driven connections end: {@link ConnectionClose#CLIENT_CLOSE} by default; see {@link ConnectionClose}. */
    ConnectionClose closeStyle() default ConnectionClose.DEFAULT;

    /**
     * How long, at most, the verdict waits for open connections to close and for per-connection
     * objects to be collected, e.g. {@code 500ms}, {@code 5s}, {@code PT5S}. Default {@code 5s}.
     * A clean server passes in far less; only a leak waits the whole period.
     */
    String gracePeriod() default "";

    /**
     * What each connection says after its handshake, as {@link dev.leakproof.fixture.LineScript}
     * steps: {@code "> text"} sends a line, {@code "< prefix"} waits for a line starting with it;
     * {@code {cycle}} is the cycle number. Used by the automatic run, as the injected driver's
     * default, and for the connections held open to measure memory. Default: {@code "> ping",
     * "< ping"} for the built-in echo, nothing (handshake only) for your pipeline.
     *
     * <pre>{@code
     * @DetectConnectionLeaks(exchange = {"> LOGIN user{cycle}", "< OK welcome", "> JOIN lobby", "< OK joined"})
     * }</pre>
     */
    String[] exchange() default {};

    /**
     * Class name patterns (regular expressions) whose growth is by design, e.g. a bounded cache, in
     * addition to the built-in ones (the JDK's TLS session caches). They hold for every growth
     * judgement: driven runs, {@link ResourceGrowth} and {@link GrowthRun}.
     */
    String[] growthAllowlist() default {};

    /**
     * Whether a leak is explained with the reference path that holds it: a live heap dump (into
     * {@code target/leak-reports/heap-dumps}, readable by its owner only, deleted after analysis)
     * analysed with Shark. On by default; {@code false} here, or the configuration parameter
     * {@code leakproof.leakTrace=false}, reports counts only.
     */
    boolean leakTrace() default true;

    /** Keep the heap dump after analysis; the failure message names its path. Off by default. */
    boolean keepHeapDump() default false;

    /** Time limit of the leak trace analysis, e.g. {@code 30s} (default); past it, counts only. */
    String leakTraceTimeout() default "";

    /**
     * References that hold objects by design and must not be reported as the path of a leak:
     * {@code com.example.Owner#field} or {@code static com.example.Owner#FIELD}, in addition to the
     * built-in ones (weak, soft, phantom and final references).
     */
    String[] leakTraceIgnore() default {};

    /**
     * The built-in service the fixture server offers when the class has no {@link ServerPipeline}:
     * {@link BuiltInService#LINE_ECHO} by default, or {@link BuiltInService#HTTP} (HTTP/1.1 with
     * keep-alive, for testing client code and its connection pool against it).
     */
    BuiltInService service() default BuiltInService.DEFAULT;

    /**
     * The ceiling of connections allowed to stay open after a test, idle between requests, as a
     * client's connection pool keeps them by design. Default 8. Connections that are not idle (a
     * response the client never read, a request never answered) always fail the test; so do more idle
     * ones than this. Whether idle connections grow with the requests is judged by
     * {@link ResourceGrowth}, not by this count: a correct pool
     * keeps a varying few. Idle pooled connections are reported apart from the others, and their
     * objects are judged when they close.
     */
    int maxOpenConnections() default UNSET;

    /**
     * The loopback port the fixture server listens on, for a client whose address is fixed in its
     * configuration; a free port by default. A port that is taken fails the class at once, naming it.
     */
    int port() default UNSET;

    /**
     * Name patterns (regular expressions) of threads that may outlive a test by design, in addition
     * to the built-in ones (the JVM's, Netty's shared executor, the common pool, build tools').
     */
    String[] threadAllowlist() default {};

    /**
     * References that hold objects by design, in your code or a library's: a leaked object whose
     * path from a GC root goes through one of them is accepted, not a failure, and the report lists
     * it as accepted (in the spirit of LeakCanary's library leak matchers). Written like
     * {@link #leakTraceIgnore()}: {@code com.example.Owner#field} or
     * {@code static com.example.Owner#FIELD}. Needs the leak trace ({@link #leakTrace()}), which is
     * how the path is known. Unlike {@code leakTraceIgnore}, which only changes the path reported,
     * this changes the verdict.
     *
     * <pre>{@code
     * @DetectConnectionLeaks(acceptedLeaks = "static com.example.dns.ResolverCache#LAST_RESOLVED")
     * }</pre>
     */
    String[] acceptedLeaks() default {};

    /**
     * Whether every thread a test class starts must have ended after it (the randomizedtesting
     * style). Off by default: then threads fail only when they grow with the connections or with the
     * tests (a thread started per test and never stopped), and a constant few started once, such as a
     * client library's global event loop started on first use or a static single-thread executor,
     * are notes in the report.
     */
    boolean strictThreads() default false;

    /**
     * Whether every driven run (the automatic cycles, each run of the injected
     * {@code ConnectionDriver}, cycles at a {@link TargetServer}) is judged by growth per connection,
     * as {@link ResourceGrowth} judges an action: the run pauses after a warm-up of a tenth of it and
     * after steps of K, 2K (and 2K to confirm) cycles, every resource is measured there (live
     * instances per class after a full GC, threads, descriptors, tasks, tracked objects), and what
     * grows at the same rate per connection in every step fails the test with the path that holds
     * it. This catches a structure that gains an entry per connection without keeping any
     * per-connection object: a cache keyed by each client's server name, a map of request paths.
     * Runs shorter than 125 cycles are not judged (the report says so). On by default.
     */
    boolean judgeGrowth() default true;

    /**
     * The TLS server name (SNI) each driven connection sends and verifies, with {@code {cycle}}
     * for the connection number. Default {@code c{cycle}.leakproof.test}, a name per connection
     * under a reserved domain, which the fixture's certificate covers: a server that keeps something
     * per server name (a TLS context cache keyed by SNI) grows with the connections. A name without
     * {@code {cycle}}, such as {@code localhost}, is sent unchanged on every connection. A
     * {@link TargetServer} method returning its own {@code ConnectionDriver.Builder} keeps that
     * builder's name.
     */
    String serverName() default "";

    /** What each driven connection says after its handshake: see {@link Protocol}. {@link Protocol#AUTO} by default. */
    Protocol protocol() default Protocol.AUTO;

    /**
     * The path of every HTTP request the driven cycles send, with {@code {cycle}} (the connection
     * number) and {@code {request}} (the request on the connection). Default
     * {@code /leakproof/{cycle}?c={cycle}}: a path and a query per connection, so that a server keeping
     * something per path or URI (a metrics tag, a route cache) grows with the connections.
     */
    String requestPath() default "";

    /**
     * Headers of every HTTP request the driven cycles send, {@code "Name: value"}, with {@code {cycle}}.
     * Default {@code "X-Leakproof-Client: c{cycle}"}.
     */
    String[] requestHeaders() default {};
}
