package dev.leakproof.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.internal.config.ReferenceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The index's paths are Shark's, shape by shape: every reader Shark has for the JDK's collections
 * (lists with empty slots, linked lists, sets, maps by string and by object key, concurrent maps),
 * arrays, linked chains, a thread's locals and thread-locals, fields hidden by a subclass's field of
 * the same name, and the rules (an ignored reference, an accepted one). Each dump is analysed by both
 * engines and the signatures compared line by line; a few paths are also spelled out.
 */
class IndexPathsTests {

    static final class Target {
        final byte[] payload = new byte[16];
    }

    static class Base {
        Object held;
    }

    static final class Derived extends Base {
        @SuppressWarnings("unused") // hides Base.held: Shark orders fields by name, ties in hierarchy order
        Object held;
        Object other;
    }

    static final class Node {
        Node next;
        Object item;
    }

    static final class Registry {
        Object byDesign;
        Object ignored;
    }

    static final List<Object> LIST = new ArrayList<>();
    static final List<Object> LINKED = new LinkedList<>();
    static final List<Object> COPY_ON_WRITE = new CopyOnWriteArrayList<>();
    static final Set<Object> SET = new HashSet<>();
    static final Set<Object> LINKED_SET = new LinkedHashSet<>();
    static final Map<String, Object> BY_NAME = new HashMap<>();
    static final Map<Object, Object> BY_OBJECT = new LinkedHashMap<>();
    static final Map<Integer, Object> CONCURRENT = new ConcurrentHashMap<>();
    static Object[] array;
    static Node chain;
    static Derived derived;
    static Registry registry;

    @AfterEach
    void clear() {
        LIST.clear();
        LINKED.clear();
        COPY_ON_WRITE.clear();
        SET.clear();
        LINKED_SET.clear();
        BY_NAME.clear();
        BY_OBJECT.clear();
        CONCURRENT.clear();
        array = null;
        chain = null;
        derived = null;
        registry = null;
    }

    @Test
    void collectionsArraysAndChainsAreReadAsSharkReadsThem() throws IOException {
        for (int i = 0; i < 5; i++) {
            LIST.add(null);
            LIST.add(new Target());
            LINKED.add(new Target());
            COPY_ON_WRITE.add(new Target());
            SET.add(new Target());
            LINKED_SET.add(new Target());
            BY_NAME.put("session-" + i, new Target());
            BY_OBJECT.put(new Object(), new Target());
            CONCURRENT.put(i, new Target());
        }
        array = new Object[] {null, new Target(), null, new Target()};
        Node node = new Node();
        chain = node;
        for (int i = 0; i < 4; i++) {
            node.next = new Node();
            node = node.next;
        }
        node.item = new Target();
        derived = new Derived();
        derived.other = new Target();
        ((Base) derived).held = new Target();
        List<String> lines = compare(List.of(), List.of());
        assertThat(String.join("\n", lines))
                .contains("static IndexPathsTests.LIST[] -> IndexPathsTests$Target")
                .contains("static IndexPathsTests.BY_NAME[] -> IndexPathsTests$Target")
                .contains("static IndexPathsTests.chain -> IndexPathsTests$Node.next (repeated) -> IndexPathsTests$Node.item -> IndexPathsTests$Target");
    }

    @Test
    void aThreadsLocalsAndThreadLocalsAreReadAsSharkReadsThem() throws Exception {
        ThreadLocal<Object> local = new ThreadLocal<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            Target onTheStack = new Target();
            local.set(new Target());
            ready.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(onTheStack).isNotNull();
        }, "index-paths-worker");
        thread.start();
        ready.await();
        try {
            assertThat(String.join("\n", compare(List.of(), List.of()))).contains("index-paths-worker");
        } finally {
            done.countDown();
            thread.join();
        }
    }

    @Test
    void ignoredAndAcceptedReferencesAreTreatedAsSharkTreatsThem() throws IOException {
        registry = new Registry();
        registry.byDesign = new Target();
        registry.ignored = new Target();
        String owner = Registry.class.getName();
        List<String> lines = compare(List.of(new ReferenceSpec(owner, "ignored", false)),
                List.of(new ReferenceSpec(owner, "byDesign", false)));
        assertThat(String.join("\n", lines)).contains("accepted true").doesNotContain("Registry.ignored");
    }

    /** Dumps this JVM, analyses the dump with the index and with Shark, and compares their signatures. */
    private static List<String> compare(List<ReferenceSpec> ignored, List<ReferenceSpec> accepted) throws IOException {
        Path dump = HeapDump.take(List.of(), IndexPathsTests.class.getName());
        try {
            LeakTraces.Options options = new LeakTraces.Options(ignored, accepted, Duration.ofSeconds(120), false);
            Targets targets = Targets.instancesOf(List.of(Target.class.getName()), 1000);
            LeakTraces.Result index = LeakTraces.analyseDump(dump, targets, options, System.nanoTime());
            LeakTraces.Result shark = SharkReference.analyse(dump, targets, options, System.nanoTime());
            assertThat(index.skipped()).isNull();
            assertThat(shark.skipped()).isNull();
            List<String> lines = SharkCrossCheck.lines(index);
            assertThat(lines).as("the index's signatures, then Shark's").isEqualTo(SharkCrossCheck.lines(shark));
            assertThat(index.leakingObjects()).isPositive();
            return lines;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

}
