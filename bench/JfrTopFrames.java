import java.io.IOException;
import java.nio.file.Path;
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
 * }</pre>
 *
 * {@code --thread} keeps the samples of threads whose name contains the text (e.g. the verdict's
 * {@code main}, or Shark's worker); {@code --callers} counts who calls a method (the frame under
 * its first appearance on each stack).
 */
public final class JfrTopFrames {

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java bench/JfrTopFrames.java recording.jfr [--thread text] [--top n] [--callers class.method]");
            System.exit(2);
        }
        String threadFilter = null;
        String callersOf = null;
        int top = 20;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--thread" -> threadFilter = args[++i];
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--callers" -> callersOf = args[++i];
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
            RecordedThread thread = event.getThread("sampledThread");
            String threadName = thread == null ? "?" : String.valueOf(thread.getJavaName());
            if (threadFilter != null && !threadName.contains(threadFilter)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
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
        System.out.printf(Locale.ROOT, "%d CPU samples%s%n", samples, threadFilter == null ? "" : " in threads named *" + threadFilter + "*");
        print("Threads", threads, samples, 5);
        print("Self (top frame)", self, samples, top);
        print("Total (on the stack)", total, samples, top);
        if (callersOf != null) {
            print("Callers of " + callersOf, callers, samples, top);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
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
