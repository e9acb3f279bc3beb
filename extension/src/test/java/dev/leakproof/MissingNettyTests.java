package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty is the user's dependency (provided scope in Leakproof's POMs), so a project may have none: then each class
 * fails at once, naming the artifact to add, instead of a NoClassDefFoundError deep in the fixture. The class runs
 * in a child JVM on this JVM's class path without its Netty jars: a class loader in this JVM would do too, but
 * whatever the failed class leaves in it would count against the tests that check this JVM leaves nothing behind.
 */
class MissingNettyTests {

    @TempDir
    Path temporaryDirectory;

    @Test
    void aClassPathWithoutNettyFailsEachClassNamingTheArtifactToAdd() throws Exception {
        String withoutNetty = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/io/netty/"))
                .collect(Collectors.joining(File.pathSeparator));
        String out = ChildJvm.runOnClassPath(temporaryDirectory, MissingNettyTests.class, flag -> true, withoutNetty);
        assertThat(out).contains("netty absent: true")
                .contains("class failed: ExtensionConfigurationException: Leakproof needs Netty on the test class "
                        + "path and found no io.netty.handler.ssl.SslHandler: add io.netty:netty-handler (test scope) at "
                        + "your project's Netty version (Netty 4.1 (4.1.100.Final or newer) and 4.2; importing "
                        + "io.netty:netty-bom keeps the Netty artifacts aligned)");
    }

    /** The child: says whether Netty is really absent, then runs the test case and prints how its class failed. */
    public static void main(String[] args) {
        boolean absent;
        try {
            Class.forName("io.netty.util.Version");
            absent = false;
        } catch (ClassNotFoundException e) {
            absent = true;
        }
        System.out.println("netty absent: " + absent);
        ChildJvm.printClassFailures(TestKit.run(NoNettyTestCase.class));
    }

    @DetectConnectionLeaks
    static class NoNettyTestCase {
        @Test
        void cycle() {
        }
    }
}
