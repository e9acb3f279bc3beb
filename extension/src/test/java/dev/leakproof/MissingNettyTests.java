package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Netty is the user's dependency (provided scope in Leakproof's POMs), so a project may have none: then each class
 * fails at once, naming the artifact to add, instead of a NoClassDefFoundError deep in the fixture. The class runs
 * in a class loader over this JVM's class path without its Netty jars, JUnit and Leakproof loaded afresh in it.
 */
class MissingNettyTests {

    @Test
    void aClassPathWithoutNettyFailsEachClassNamingTheArtifactToAdd() throws Exception {
        List<URL> withoutNetty = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.replace('\\', '/').contains("/io/netty/")) {
                withoutNetty.add(Path.of(entry).toUri().toURL());
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(withoutNetty.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.netty.util.Version")).isInstanceOf(ClassNotFoundException.class);
            thread.setContextClassLoader(loader);
            Object failures = loader.loadClass(Runner.class.getName()).getMethod("classFailures").invoke(null);
            assertThat(failures).isEqualTo("ExtensionConfigurationException: Leakproof needs Netty on the test class "
                    + "path and found no io.netty.handler.ssl.SslHandler: add io.netty:netty-handler (test scope) at "
                    + "your project's Netty version (Netty 4.1 (4.1.100.Final or newer) and 4.2; importing "
                    + "io.netty:netty-bom keeps the Netty artifacts aligned)");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Loaded by the class loader without Netty: runs the test case there and says how its class failed. */
    public static final class Runner {
        public static String classFailures() {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(NoNettyTestCase.class)).execute()
                    .containerEvents().failed().stream()
                    .flatMap(e -> e.getPayload(TestExecutionResult.class).stream())
                    .flatMap(r -> r.getThrowable().stream())
                    .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                    .collect(Collectors.joining("\n"));
        }
    }

    @DetectConnectionLeaks
    static class NoNettyTestCase {
        @Test
        void cycle() {
        }
    }
}
