package dev.leakproof.bench.suite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.FixtureService;
import dev.leakproof.fixture.LineScript;
import dev.leakproof.fixture.TlsFixtureServer;
import dev.leakproof.fixture.TlsProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The "off" side of the suite benchmark: the same test classes, their own test methods and lifecycle
 * methods, without {@code @DetectConnectionLeaks}. What the extension would inject is made here as the
 * extension makes it, minus the tracking: one {@link TlsFixtureServer} per class hosting the class's
 * {@code @ServerPipeline} (with the provider and service of its annotation, and no observers), a
 * {@link ConnectionDriver} per test with the annotation's cycles, concurrency and close style, and a
 * {@link LeakTracker} that does nothing. Tests run in the order the Jupiter engine gives the
 * originals. The classes come from system property {@value #CLASSES} (comma-separated).
 *
 * <pre>
 * java -Dbench.suite.classes=dev.leakproof.sample.chat.ChatServerLeakTests ... (Launcher: selectClass(WithoutLeakproof.class))
 * </pre>
 */
public class WithoutLeakproof {

    public static final String CLASSES = "bench.suite.classes";

    /** Only these test methods (comma-separated names), when set and not empty. */
    public static final String METHODS = "bench.suite.methods";

    /** The display name of the step that ends each class: its after-all work, as the extension would do it. */
    public static final String CLASS_END = "[class end]";

    /** Where the bare runs record the settings they used, for the comparison with the extension's report. */
    public static final Map<String, Map<String, Object>> SETTINGS_USED = new LinkedHashMap<>();

    private static final LeakTracker NO_TRACKING = new LeakTracker() {
        @Override
        public void track(Object object, String description) {
        }

        @Override
        public void track(Channel channel, Object object, String description) {
        }
    };

    @TestFactory
    Stream<DynamicNode> suite() {
        String names = System.getProperty(CLASSES);
        if (names == null || names.isBlank()) {
            throw new IllegalStateException("set system property " + CLASSES + " to the test classes to run");
        }
        String only = System.getProperty(METHODS, "");
        List<String> methods = only.isBlank() ? List.of() : List.of(only.split(","));
        List<DynamicNode> containers = new ArrayList<>();
        for (String name : names.split(",")) {
            Class<?> testClass = load(name.trim());
            BareClass bare = new BareClass(testClass);
            List<DynamicNode> tests = new ArrayList<>();
            for (Method method : engineOrder(testClass)) {
                if (!methods.isEmpty() && !methods.contains(method.getName())) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(method.getName(), () -> bare.runTest(method)));
            }
            tests.add(DynamicTest.dynamicTest(CLASS_END, bare::end));
            containers.add(DynamicContainer.dynamicContainer(testClass.getSimpleName(), tests.stream()));
        }
        return containers.stream();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no test class " + name, e);
        }
    }

    /** The test methods in the order the Jupiter engine runs them (its discovery, not its execution). */
    static List<Method> engineOrder(Class<?> testClass) {
        TestPlan plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass)).build());
        List<Method> methods = new ArrayList<>();
        collect(plan, plan.getRoots().stream().toList(), methods);
        return methods;
    }

    private static void collect(TestPlan plan, List<TestIdentifier> nodes, List<Method> methods) {
        for (TestIdentifier node : nodes) {
            node.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .ifPresent(source -> methods.add(source.getJavaMethod()));
            collect(plan, plan.getChildren(node).stream().toList(), methods);
        }
    }

    /** One class's server and settings; the server starts with the first test, as the extension's does. */
    static final class BareClass {
        private final Class<?> testClass;
        private final int cycles;
        private final int concurrency;
        private final TlsProvider provider;
        private final CloseStyle closeStyle;
        private final FixtureService service;
        private final boolean userPipeline;
        private TlsFixtureServer server;

        BareClass(Class<?> testClass) {
            this.testClass = testClass;
            DetectConnectionLeaks settings = AnnotationSupport.findAnnotation(testClass, DetectConnectionLeaks.class)
                    .orElseThrow(() -> new IllegalArgumentException(testClass + " has no @DetectConnectionLeaks"));
            // The extension's defaults (Settings), for attributes left unset.
            this.cycles = settings.cycles() == DetectConnectionLeaks.UNSET ? 1000 : settings.cycles();
            this.concurrency = settings.concurrency() == DetectConnectionLeaks.UNSET ? 8 : settings.concurrency();
            // Each annotation enum's constant but DEFAULT is the fixture's constant of the same name.
            this.provider = settings.provider() == dev.leakproof.TlsImplementation.DEFAULT ? TlsProvider.JDK
                    : TlsProvider.valueOf(settings.provider().name());
            this.closeStyle = settings.closeStyle() == dev.leakproof.ConnectionClose.DEFAULT ? CloseStyle.CLIENT_CLOSE
                    : CloseStyle.valueOf(settings.closeStyle().name());
            this.service = settings.service() == dev.leakproof.BuiltInService.DEFAULT ? FixtureService.LINE_ECHO
                    : FixtureService.valueOf(settings.service().name());
            this.userPipeline = !AnnotationSupport.findAnnotatedMethods(testClass, ServerPipeline.class,
                    HierarchyTraversalMode.TOP_DOWN).isEmpty();
            if (settings.exchange().length > 0) {
                throw new IllegalArgumentException(testClass + ": exchange attributes are not supported here");
            }
            Map<String, Object> used = new LinkedHashMap<>();
            used.put("cycles", cycles);
            used.put("concurrency", concurrency);
            used.put("provider", provider.name());
            used.put("closeStyle", closeStyle.name());
            SETTINGS_USED.put(testClass.getName(), used);
        }

        void runTest(Method method) throws Throwable {
            if (server == null) {
                start();
            }
            Object instance = instantiate();
            List<ConnectionDriver> drivers = new ArrayList<>();
            Throwable failure = null;
            try {
                for (Method m : lifecycle(BeforeEach.class, HierarchyTraversalMode.TOP_DOWN)) {
                    invoke(m, instance, drivers);
                }
                invoke(method, instance, drivers);
            } catch (Throwable t) {
                failure = t;
            }
            for (Method m : lifecycle(AfterEach.class, HierarchyTraversalMode.BOTTOM_UP)) {
                try {
                    invoke(m, instance, drivers);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                }
            }
            drivers.forEach(ConnectionDriver::close);
            if (failure != null) {
                throw failure;
            }
        }

        void end() throws Throwable {
            try {
                if (server != null) {
                    for (Method m : lifecycle(AfterAll.class, HierarchyTraversalMode.BOTTOM_UP)) {
                        invoke(m, null, new ArrayList<>());
                    }
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }

        private void start() throws Throwable {
            TlsFixtureServer.Builder builder = TlsFixtureServer.builder().provider(provider).service(service);
            List<Method> pipelines = AnnotationSupport.findAnnotatedMethods(testClass, ServerPipeline.class,
                    HierarchyTraversalMode.TOP_DOWN);
            if (pipelines.size() > 1) {
                throw new IllegalArgumentException(testClass + ": more than one @ServerPipeline");
            }
            if (!pipelines.isEmpty()) {
                Method pipeline = pipelines.get(0);
                if (!Modifier.isStatic(pipeline.getModifiers())) {
                    throw new IllegalArgumentException(pipeline + ": only static @ServerPipeline methods are supported here");
                }
                Object first = invoke(pipeline, null, new ArrayList<>());
                if (first instanceof ChannelInitializer<?> initializer) {
                    @SuppressWarnings("unchecked")
                    ChannelInitializer<Channel> channelInitializer = (ChannelInitializer<Channel>) initializer;
                    builder.pipeline(channelInitializer);
                } else if (first instanceof ChannelHandler) {
                    builder.handler(() -> {
                        try {
                            return (ChannelHandler) invoke(pipeline, null, new ArrayList<>());
                        } catch (Throwable t) {
                            throw new IllegalStateException(t);
                        }
                    });
                } else {
                    throw new IllegalArgumentException(pipeline + " returns " + first + ": not supported here");
                }
            }
            server = builder.start();
            for (Method m : lifecycle(BeforeAll.class, HierarchyTraversalMode.TOP_DOWN)) {
                invoke(m, null, new ArrayList<>());
            }
        }

        private List<Method> lifecycle(Class<? extends java.lang.annotation.Annotation> annotation,
                HierarchyTraversalMode mode) {
            return AnnotationSupport.findAnnotatedMethods(testClass, annotation, mode);
        }

        private Object instantiate() throws Throwable {
            var constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object invoke(Method method, Object instance, List<ConnectionDriver> drivers) throws Throwable {
            Object[] args = Arrays.stream(method.getParameterTypes()).map(type -> resolve(type, method, drivers))
                    .toArray();
            method.setAccessible(true);
            try {
                return method.invoke(Modifier.isStatic(method.getModifiers()) ? null : instance, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object resolve(Class<?> type, Method method, List<ConnectionDriver> drivers) {
            if (type == TlsFixtureServer.class) {
                return server;
            }
            if (type == LeakTracker.class) {
                return NO_TRACKING;
            }
            if (type == ConnectionDriver.class) {
                if (drivers.isEmpty()) {
                    // As the extension's driver: a user's protocol is unknown, so only the handshake; the built-in echo gets a ping.
                    drivers.add(ConnectionDriver.forServer(server).cycles(cycles).concurrency(concurrency)
                            .closeStyle(closeStyle).exchange(userPipeline ? LineScript.empty()
                                    : LineScript.of("> ping", "< ping")).build());
                }
                return drivers.get(0);
            }
            throw new IllegalArgumentException(method + ": cannot supply a " + type.getName() + " here");
        }
    }
}
