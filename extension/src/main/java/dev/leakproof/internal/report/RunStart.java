package dev.leakproof.internal.report;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * When this run began, so the run's index can tell this run's class reports from those an earlier
 * run left in the directory (until {@code mvn clean}).
 *
 * <p>A run is one Maven invocation: it forks test JVMs, one after another or several at once, for
 * each module, and every one of them rewrites the same index. Nothing Surefire passes to a fork
 * names the invocation, and a marker file written by the first fork cannot tell a sibling fork
 * (which must keep it) from the next {@code mvn test} (which must not). The Maven JVM itself is the
 * invocation: every fork descends from it, so its start instant, read from the process table, is
 * the same in each fork and later than anything an earlier run wrote. Outside Maven (an IDE, Gradle,
 * {@code forkCount=0}) this JVM's own start stands in: its classes are this run, and reports older
 * than it are marked as earlier, which may mark a sibling fork of a Gradle run started before it.
 *
 * <pre>{@code
 * boolean earlier = Files.getLastModifiedTime(report).toInstant().isBefore(RunStart.instant());
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
final class RunStart {

    /** What the Maven launcher's command line holds (mvn, mvnw and mvnDebug all start it). */
    private static final String MAVEN_LAUNCHER = "org.codehaus.plexus.classworlds.launcher.Launcher";

    private static final Instant INSTANT = find();

    private RunStart() {
    }

    /** The start of the Maven invocation this JVM belongs to, or of this JVM. */
    static Instant instant() {
        return INSTANT;
    }

    /** Which process the run's start was read from, for the index's words. */
    static String source() {
        return mavenAncestor().isPresent() ? "the Maven run" : "this test JVM";
    }

    private static Instant find() {
        Instant own = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        return mavenAncestor().flatMap(p -> p.info().startInstant()).orElse(own);
    }

    private static Optional<ProcessHandle> mavenAncestor() {
        for (Optional<ProcessHandle> p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            ProcessHandle.Info info = p.get().info();
            boolean maven = info.arguments().map(a -> Arrays.asList(a).contains(MAVEN_LAUNCHER)).orElse(false)
                    || info.commandLine().map(c -> c.contains(MAVEN_LAUNCHER)).orElse(false);
            if (maven) {
                return p;
            }
        }
        return Optional.empty();
    }
}
