package dev.leakproof;

import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.netty.channel.ChannelHandler;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Bad configuration fails the test class fast, naming the key and the value. */
class ConfigurationErrorTests {

    @DetectConnectionLeaks(cycles = -5)
    static class NegativeCyclesTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 8)
    static class ConcurrencyAboveCyclesTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks
    static class WrongPipelineSignatureTestCase {
        @ServerPipeline
        static ChannelHandler pipeline(String name) {
            throw new AssertionError("never called");
        }

        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks
    static class WrongPipelineReturnTypeTestCase {
        @ServerPipeline
        static String pipeline() {
            return "not a pipeline";
        }

        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks
    static class ConfiguredByParametersTestCase {
        @Test
        void test() {
        }
    }

    static class BuilderTestCase {
        @RegisterExtension
        static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().cycles(0).build();

        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks
    static class RegisteredTwiceTestCase {
        @RegisterExtension
        static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().build();

        @Test
        void test() {
        }
    }

    @Test
    void negativeCycles() {
        assertClassFails(TestKit.run(NegativeCyclesTestCase.class),
                "Invalid Leakproof setting leakproof.cycles = '-5' (from @DetectConnectionLeaks(cycles = -5)): must be at least 1");
    }

    /** The annotation takes an enum now, so only a configuration parameter can name an unknown provider. */
    @Test
    void unknownProvider() {
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.provider", "boringssl")),
                "Invalid Leakproof setting leakproof.provider = 'boringssl' (from configuration parameter "
                        + "leakproof.provider = 'boringssl'): unknown TLS provider 'boringssl', expected one of: jdk, openssl");
    }

    @Test
    void concurrencyAboveCycles() {
        assertClassFails(TestKit.run(ConcurrencyAboveCyclesTestCase.class),
                "Invalid Leakproof settings: leakproof.concurrency = 8 is more than leakproof.cycles = 4; "
                        + "connections in flight cannot outnumber the cycles");
    }

    @Test
    void pipelineMethodWithWrongParameters() {
        assertClassFails(TestKit.run(WrongPipelineSignatureTestCase.class),
                "@ServerPipeline method WrongPipelineSignatureTestCase.pipeline(String) has the wrong signature: it must "
                        + "return a ChannelInitializer<Channel> or a ChannelHandler, and take no parameters or one "
                        + "LeakTracker (it returns ChannelHandler)");
    }

    @Test
    void pipelineMethodWithWrongReturnType() {
        assertClassFails(TestKit.run(WrongPipelineReturnTypeTestCase.class),
                "@ServerPipeline method WrongPipelineReturnTypeTestCase.pipeline() has the wrong signature: it must "
                        + "return a ChannelInitializer<Channel> or a ChannelHandler, and take no parameters or one "
                        + "LeakTracker (it returns String)");
    }

    @Test
    void badConfigurationParameters() {
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.gracePeriod", "soon")),
                "Invalid Leakproof setting leakproof.gracePeriod = 'soon' (from configuration parameter "
                        + "leakproof.gracePeriod = 'soon'): not a duration: use e.g. 500ms, 5s, 2m or PT5S");
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.closeStyle", "slam")),
                "Invalid Leakproof setting leakproof.closeStyle = 'slam' (from configuration parameter "
                        + "leakproof.closeStyle = 'slam'): unknown close style 'slam', expected one of: client-close, "
                        + "server-close, abrupt-reset, handshake-abort, half-close");
    }

    @Test
    void builderValues() {
        assertClassFails(TestKit.run(BuilderTestCase.class),
                "Invalid Leakproof setting leakproof.cycles = '0' (from ConnectionLeakDetector.builder().cycles(0)): "
                        + "must be at least 1");
    }

    @Test
    void annotationAndRegisteredExtensionTogether() {
        assertClassFails(TestKit.run(RegisteredTwiceTestCase.class),
                "Leakproof is registered twice on " + RegisteredTwiceTestCase.class.getName()
                        + ": use either @DetectConnectionLeaks or a @RegisterExtension ConnectionLeakDetector, not both");
    }

    @DetectConnectionLeaks(protocol = Protocol.HTTP, exchange = {"> ping", "< ping"})
    static class HttpWithAScriptTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(serverName = "not a host")
    static class BadServerNameTestCase {
        @Test
        void test() {
        }
    }

    @Test
    void httpCyclesWithALineScript() {
        assertClassFails(TestKit.run(HttpWithAScriptTestCase.class),
                "Invalid Leakproof setting leakproof.protocol = 'http' with an exchange script (leakproof.exchange): HTTP "
                        + "cycles send requests, a script sends lines; set one of them");
    }

    @Test
    void badDrivenInputs() {
        assertClassFails(TestKit.run(BadServerNameTestCase.class),
                "Invalid Leakproof setting leakproof.serverName = 'not a host' (from @DetectConnectionLeaks(serverName = "
                        + "\"not a host\")): 'not a host' is not a host name: use letters, digits, dots and hyphens, with "
                        + "{cycle} for the connection number, e.g. c{cycle}.leakproof.test or localhost");
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.protocol", "smtp")),
                "Invalid Leakproof setting leakproof.protocol = 'smtp' (from configuration parameter leakproof.protocol = "
                        + "'smtp'): unknown protocol 'smtp', expected one of auto, http, lines, handshake-only");
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.requestPath", "leakproof")),
                "Invalid Leakproof setting leakproof.requestPath = 'leakproof' (from configuration parameter "
                        + "leakproof.requestPath = 'leakproof'): 'leakproof' is not a request path: it must start with / "
                        + "and hold no spaces, e.g. /leakproof/{cycle}?c={cycle}");
        assertClassFails(TestKit.run(ConfiguredByParametersTestCase.class, Map.of("leakproof.requestHeaders", "Tenant")),
                "Invalid Leakproof setting leakproof.requestHeaders = 'Tenant' (from configuration parameter "
                        + "leakproof.requestHeaders = 'Tenant'): 'Tenant' is not a header: use Name: value, e.g. "
                        + "X-Tenant: t{cycle}");
    }

    private static void assertClassFails(EngineExecutionResults results, String expectedMessage) {
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(expectedMessage))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }
}
