import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a JFR recording's CPU samples, for BENCHMARKS.md: where the time of a step that
 * misses its goal goes. Self = the sample's top frame; total = anywhere on the stack (counted once per
 * sample). Runs as a single-file program on JDK 17+, with no build:
 *
 * <pre>{@code
 * java bench/JfrTopFrames.java recording.jfr [--thread leakproof] [--top 20] [--callers shark.HprofHeapGraph.findClassByName]
 *     [--from 2026-12-07T14:00:00Z --to 2026-12-07T14:03:00Z] [--without dev.leakproof.internal.trace.SharkAnalysis]
 * }</pre>
 *
 * {@code --thread} keeps the samples of threads whose name contains the text (e.g. the verdict's
 * {@code main}, or the leak-trace analysis thread {@code leakproof-leak-trace}); {@code --callers}
 * counts who calls a method (the frame under its first appearance on each stack); {@code --from} and
 * {@code --to} keep the samples taken in that window (instants as the leak-trace benchmark prints
 * each heap size's window, so that one recording of several sizes can be read size by size);
 * {@code --without} leaves out the samples with a frame of that prefix on the stack (the Shark
 * reference's analyses, to read the production path's alone).
 * A recording of the leak-trace step: {@code bench/run --only leak-trace --jfr} (see BENCHMARKS.md).
 */
public final class JfrTopFrames {

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java bench/JfrTopFrames.java recording.jfr [--thread text] [--top n] [--callers class.method]"
                    + " [--from instant] [--to instant] [--without frame-prefix]");
            System.exit(2);
        }
        String threadFilter = null;
        String without = null; // samples with a frame of this prefix on the stack are left out
        String callersOf = null;
        int top = 20;
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--thread" -> threadFilter = args[++i];
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--callers" -> callersOf = args[++i];
                case "--from" -> from = Instant.parse(args[++i]);
                case "--to" -> to = Instant.parse(args[++i]);
                case "--without" -> without = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> callers = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            RecordedThread thread = event.getThread("sampledThread");
            String threadName = thread == null ? "?" : String.valueOf(thread.getJavaName());
            if (threadFilter != null && !threadName.contains(threadFilter)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            String left = without;
            if (left != null && frames.stream().anyMatch(f -> name(f).startsWith(left))) {
                continue;
            }
            samples++;
            threads.merge(threadName, 1, Integer::sum);
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> onStack = new LinkedHashSet<>();
            frames.forEach(f -> onStack.add(name(f)));
            onStack.forEach(m -> total.merge(m, 1, Integer::sum));
            for (int f = 0; callersOf != null && f + 1 < frames.size(); f++) {
                if (name(frames.get(f)).equals(callersOf)) {
                    callers.merge(name(frames.get(f + 1)), 1, Integer::sum);
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples%s%s%n", samples, threadFilter == null ? "" : " in threads named *" + threadFilter + "*",
                from == Instant.MIN && to == Instant.MAX ? "" : " from " + (from == Instant.MIN ? "the start" : from)
                        + " to " + (to == Instant.MAX ? "the end" : to));
        print("Threads", threads, samples, 5);
        print("Self (top frame)", self, samples, top);
        // The thread's entry frames are on every sample: they say nothing, and would fill the top rows.
        int all = samples;
        List<String> everywhere = total.entrySet().stream().filter(e -> e.getValue() >= 0.99 * all)
                .map(Map.Entry::getKey).sorted().toList();
        everywhere.forEach(total::remove);
        print("Total (on the stack)", total, samples, top);
        if (!everywhere.isEmpty()) {
            System.out.println();
            System.out.println("On >= 99 % of the samples, left out of Total: " + String.join(", ", everywhere.stream()
                    .map(m -> "`" + m + "`").toList()));
        }
        if (callersOf != null) {
            print("Callers of " + callersOf, callers, samples, top);
        }
    }

    /** Class and method; a lambda's hidden class loses its per-run number and address, so runs compare. */
    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName().replaceAll("\\$\\$Lambda[$/]?[0-9]*(\\+0x[0-9a-f]+)?(\\.[0-9]+)?", "\\$\\$Lambda");
        return type + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println();
        System.out.println("| " + title + " | samples | % |");
        System.out.println("|---|---:|---:|");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %d | %.1f |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, samples)));
    }
}
