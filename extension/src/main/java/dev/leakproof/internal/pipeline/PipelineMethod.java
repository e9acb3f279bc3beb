package dev.leakproof.internal.pipeline;

import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The test class's {@link ServerPipeline} method, checked once: its shape errors are configuration
 * errors of the test class, reported before any connection is made.
 *
 * <pre>{@code
 * PipelineMethod.find(testClass).ifPresent(m -> m.install(hosted, testInstance, tracker));
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PipelineMethod {

    private final Method method;
    private final boolean perConnection;
    private final boolean takesTracker;

    private PipelineMethod(Method method, boolean perConnection, boolean takesTracker) {
        this.method = method;
        this.perConnection = perConnection;
        this.takesTracker = takesTracker;
    }

    /** The annotated method of {@code testClass}, if any. */
    public static Optional<PipelineMethod> find(Class<?> testClass) {
        List<Method> methods = ReflectionSupport.findMethods(testClass,
                m -> m.isAnnotationPresent(ServerPipeline.class), HierarchyTraversalMode.TOP_DOWN);
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        if (methods.size() > 1) {
            throw new ExtensionConfigurationException("Only one @ServerPipeline method is allowed per test class, found "
                    + methods.size() + ": " + methods.stream().map(PipelineMethod::name).collect(Collectors.joining(", ")));
        }
        Method method = methods.get(0);
        Class<?> returnType = method.getReturnType();
        boolean initializer = ChannelInitializer.class.isAssignableFrom(returnType);
        boolean handler = !initializer && ChannelHandler.class.isAssignableFrom(returnType);
        Class<?>[] params = method.getParameterTypes();
        boolean takesTracker = params.length == 1 && params[0] == LeakTracker.class;
        if ((!initializer && !handler) || (params.length > 0 && !takesTracker)) {
            throw new ExtensionConfigurationException("@ServerPipeline method " + name(method) + " has the wrong signature: "
                    + "it must return a ChannelInitializer<Channel> or a ChannelHandler, and take no parameters or one "
                    + "LeakTracker (it returns " + returnType.getSimpleName() + ")");
        }
        method.setAccessible(true);
        return Optional.of(new PipelineMethod(method, handler, takesTracker));
    }

    public boolean isStatic() {
        return Modifier.isStatic(method.getModifiers());
    }

    /** Installs this method's pipeline into {@code hosted}, calling it on {@code instance} (null when static). */
    @SuppressWarnings("unchecked")
    public void install(HostedPipeline hosted, Object instance, LeakTracker tracker) {
        if (perConnection) {
            hosted.usePerConnection(() -> (ChannelHandler) invoke(instance, tracker));
        } else {
            Object result = invoke(instance, tracker);
            if (result == null) {
                throw new ExtensionConfigurationException("@ServerPipeline method " + name(method) + " returned null");
            }
            hosted.use((ChannelInitializer<Channel>) result);
        }
    }

    private Object invoke(Object instance, LeakTracker tracker) {
        Object target = isStatic() ? null : instance;
        return takesTracker ? ReflectionSupport.invokeMethod(method, target, tracker)
                : ReflectionSupport.invokeMethod(method, target);
    }

    private static String name(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
                + java.util.Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }
}
