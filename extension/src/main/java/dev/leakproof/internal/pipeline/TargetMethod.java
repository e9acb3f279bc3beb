package dev.leakproof.internal.pipeline;

import dev.leakproof.TargetServer;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The test class's {@link TargetServer} method, checked once: the server the cycles aim at when it
 * is not the fixture server. Called when a driver is needed (after the class's {@code @BeforeAll}
 * methods started the server), on the test instance when it is an instance method.
 *
 * <pre>{@code
 * TargetMethod.find(testClass).map(m -> m.driver(fixture, testInstance));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TargetMethod {

    private final Method method;

    private TargetMethod(Method method) {
        this.method = method;
    }

    /** The annotated method of {@code testClass}, if any. */
    public static Optional<TargetMethod> find(Class<?> testClass) {
        List<Method> methods = ReflectionSupport.findMethods(testClass,
                m -> m.isAnnotationPresent(TargetServer.class), HierarchyTraversalMode.TOP_DOWN);
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        if (methods.size() > 1) {
            throw new ExtensionConfigurationException("Only one @TargetServer method is allowed per test class, found "
                    + methods.size() + ": " + methods.stream().map(m -> m.getDeclaringClass().getSimpleName() + "."
                            + m.getName()).collect(Collectors.joining(", ")));
        }
        Method method = methods.get(0);
        Class<?> type = method.getReturnType();
        if (method.getParameterCount() != 0
                || !(type == InetSocketAddress.class || type == ConnectionDriver.Builder.class)) {
            throw new ExtensionConfigurationException("@TargetServer method " + method.getDeclaringClass().getSimpleName()
                    + "." + method.getName() + " has the wrong signature: it must take no parameters and return an "
                    + "InetSocketAddress or a ConnectionDriver.Builder (it returns " + type.getSimpleName() + ")");
        }
        method.setAccessible(true);
        return Optional.of(new TargetMethod(method));
    }

    /** Whether the method returns a driver builder of its own (with its own trust and server name). */
    public boolean returnsBuilder() {
        return method.getReturnType() == ConnectionDriver.Builder.class;
    }

    /** A driver builder aimed at the target server; the fixture's certificate is trusted for an address. */
    public ConnectionDriver.Builder driver(TlsFixtureServer fixture, Object testInstance) {
        Object target = ReflectionSupport.invokeMethod(method, Modifier.isStatic(method.getModifiers()) ? null : testInstance);
        if (target == null) {
            throw new ExtensionConfigurationException("@TargetServer method " + method.getName() + " returned null: "
                    + "was the server started (in @BeforeAll or @BeforeEach)?");
        }
        return target instanceof InetSocketAddress address ? ConnectionDriver.forAddress(address, fixture)
                : (ConnectionDriver.Builder) target;
    }
}
