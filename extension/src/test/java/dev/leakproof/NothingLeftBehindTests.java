package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.internal.gc.GcForcer;
import dev.leakproof.internal.heap.ClassHistogram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The extension does not leak itself: a whole test plan run through JUnit's launcher (clean
 * classes, a leak traced through a heap dump, the growth checks, a class whose server did not
 * start) leaves no thread it started, no descriptor, no temporary file, no heap dump, and none of
 * its servers, sessions or event loops on the heap.
 */
class NothingLeftBehindTests {

    /** Of the JVM, not of the extension: present in any JVM that ran a test plan. */
    private static final Set<String> JVM_THREADS = Set.of("Attach Listener", "Common-Cleaner", "process reaper",
            "Signal Dispatcher", "Notification Thread", "Finalizer", "Reference Handler");

    @Test
    void aWholePlanLeavesNoThreadDescriptorFileHeapDumpOrObjectOfTheExtension() throws IOException {
        Set<Long> threadsBefore = liveThreadIds();
        Map<String, String> descriptorsBefore = descriptors();
        Set<Path> tempBefore = listing(Path.of(System.getProperty("java.io.tmpdir")));
        Set<Path> dumpsBefore = listing(Path.of("target", "leak-reports", "heap-dumps"));

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherDiscoveryRequest plan = LauncherDiscoveryRequestBuilder.request().selectors(
                selectClass(ParallelAndSequenceTests.CleanServerTestCase.class),
                selectClass(HeapLeakDetectionTests.StaticRegistryTestCase.class),
                selectClass(RetainedSizeAndGrowthTests.ConstantMemoryTestCase.class),
                selectClass(RetainedSizeAndGrowthTests.HundredTwentyEightKilobyteBudgetTestCase.class),
                selectClass(ResourceGrowthTests.ClientForgottenOnCloseTestCase.class),
                selectClass(ExtensionFaultTests.InitChannelThrowsTestCase.class),
                selectClass(HeapLeakDetectionTests.StaticRegistryFixedTestCase.class)).build();
        Launcher launcher = LauncherFactory.create();
        try {
            launcher.execute(plan, summary);
        } finally {
            HeapLeakDetectionTests.clearRegistry();
        }
        assertThat(summary.getSummary().getTestsFoundCount()).as("the plan ran").isGreaterThanOrEqualTo(7);
        assertThat(summary.getSummary().getTestsFailedCount()).as("the leaky and the throwing class failed").isEqualTo(2);

        // Event loops stop asynchronously, within their quiet period: bounded waits, short polls.
        Awaitility.await("threads the plan started end").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(newThreads(threadsBefore)).isEmpty());
        GcForcer.fullGc();
        Awaitility.await("descriptors the plan opened close").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(newDescriptors(descriptorsBefore)).isEmpty());
        // The temporary directory is shared with every other process of the machine (builds write
        // there too): what counts is what this JVM could have left, by name.
        assertThat(difference(listing(Path.of(System.getProperty("java.io.tmpdir"))), tempBefore).stream()
                .filter(NothingLeftBehindTests::couldBeOurs).toList()).as("temporary files").isEmpty();
        try (Stream<Path> reports = Files.list(Path.of("target", "leak-reports"))) {
            assertThat(reports.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList())
                    .as("half-written reports").isEmpty();
        }
        assertThat(difference(listing(Path.of("target", "leak-reports", "heap-dumps")), dumpsBefore))
                .as("heap dumps").isEmpty();

        GcForcer.fullGc();
        ClassHistogram heap = ClassHistogram.take();
        for (String extensionClass : List.of("dev.leakproof.fixture.TlsFixtureServer",
                "dev.leakproof.internal.session.LeakSession", "dev.leakproof.internal.tracking.ConnectionTracker",
                "io.netty.channel.nio.NioEventLoop", "io.netty.channel.socket.nio.NioSocketChannel",
                "io.netty.handler.ssl.SslHandler")) {
            assertThat(heap.instances(extensionClass)).as("instances of %s after the plan", extensionClass).isZero();
        }
    }

    private static Set<Long> liveThreadIds() {
        Set<Long> ids = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ids.add(t.getId());
        }
        return ids;
    }

    private static boolean couldBeOurs(Path file) {
        String name = file.getFileName().toString();
        return name.contains("leakproof") || name.endsWith(".hprof") || name.endsWith(".tmp")
                || name.equals(".attach_pid" + ProcessHandle.current().pid());
    }

    private static List<String> newThreads(Set<Long> before) {
        List<String> started = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t.getId()) && t.isAlive() && !JVM_THREADS.contains(t.getName())
                    && !t.getName().startsWith("ForkJoinPool.commonPool-")
                    && !t.getName().startsWith("awaitility")) { // the thread that asks this very question
                started.add(t.getName());
            }
        }
        return started;
    }

    /** Open descriptors, number to target. */
    private static Map<String, String> descriptors() throws IOException {
        Map<String, String> open = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed while listed (the listing's own descriptor among them)
                }
            }
        }
        return open;
    }

    /**
     * Descriptors open now that were not before, but the class path's jars: the JVM's class loader
     * keeps a jar open once it has loaded a class from it, whoever asked for the class.
     */
    private static List<String> newDescriptors(Map<String, String> before) throws IOException {
        Set<String> unixSockets = unixSocketInodes();
        List<String> opened = new ArrayList<>();
        descriptors().forEach((fd, target) -> {
            if (!target.equals(before.get(fd)) && !target.endsWith(".jar") && !openedOncePerJvm(target, unixSockets)) {
                opened.add(fd + " -> " + target);
            }
        });
        return opened;
    }

    /**
     * What the JVM opens once, on first use, for its life: the seed source of {@code SecureRandom}
     * (the fixture's key generation), and the attach listener's UNIX socket (JOL attaches to this JVM
     * to size objects). A plan that is the first to use them opens them; a leak of ours would be TCP
     * sockets, pipes, eventfds and epolls. The listing of {@code /proc/self/fd} sees itself.
     */
    private static boolean openedOncePerJvm(String target, Set<String> unixSockets) {
        return target.equals("/dev/random") || target.equals("/dev/urandom")
                || target.equals("/proc/" + ProcessHandle.current().pid() + "/fd") // a listing in progress, this one
                || (target.startsWith("socket:[") && unixSockets.contains(target.substring(8, target.length() - 1)));
    }

    private static Set<String> unixSocketInodes() throws IOException {
        Path unix = Path.of("/proc/net/unix");
        Set<String> inodes = new HashSet<>();
        if (Files.isReadable(unix)) {
            List<String> lines = Files.readAllLines(unix);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 7) {
                    inodes.add(fields[6]);
                }
            }
        }
        return inodes;
    }

    private static Set<Path> listing(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return new HashSet<>(files.toList());
        }
    }

    private static Set<Path> difference(Set<Path> after, Set<Path> before) {
        Set<Path> added = new HashSet<>(after);
        added.removeAll(before);
        return added;
    }
}
