package dev.leakproof.internal.heap;

import dev.leakproof.internal.jvm.DiagnosticCommands;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A live class histogram of this JVM (instances per class after a full GC), taken in-process through
 * the DiagnosticCommand MBean: the same as {@code jcmd <pid> GC.class_histogram}, 35-300 ms here.
 * Class names are the JVM's ({@code [B}); {@code ClassNames.fromJvmName} makes them readable.
 *
 * <pre>{@code
 * long sessions = ClassHistogram.take().instances("com.example.Session");
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassHistogram {

    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    // Three arrays and interned names, not a map of entries: histograms held by the growth check
    // are live objects in the next histogram, and must not grow it by one entry per class.
    private final String[] names;
    private final long[] instances;
    private final long[] bytes;

    private ClassHistogram(String[] names, long[] instances, long[] bytes) {
        this.names = names;
        this.instances = instances;
        this.bytes = bytes;
    }

    public static ClassHistogram take() {
        String text;
        try {
            text = DiagnosticCommands.run("gcClassHistogram");
        } catch (Exception e) {
            throw new IllegalStateException("this JVM cannot take a class histogram (DiagnosticCommand "
                    + "gcClassHistogram): " + e, e);
        }
        return parse(text);
    }

    public static ClassHistogram parse(String text) {
        // The same class name can appear twice (one class per class loader): add them up.
        Map<String, long[]> byClass = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                long[] entry = byClass.computeIfAbsent(m.group(3).intern(), k -> new long[2]);
                entry[0] += Long.parseLong(m.group(1));
                entry[1] += Long.parseLong(m.group(2));
            }
        }
        String[] names = byClass.keySet().toArray(new String[0]);
        long[] instances = new long[names.length];
        long[] bytes = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            long[] entry = byClass.get(names[i]);
            instances[i] = entry[0];
            bytes[i] = entry[1];
        }
        return new ClassHistogram(names, instances, bytes);
    }

    public long instances(String className) {
        int i = Arrays.binarySearch(names, className);
        return i < 0 ? 0 : instances[i];
    }

    public long bytes(String className) {
        int i = Arrays.binarySearch(names, className);
        return i < 0 ? 0 : bytes[i];
    }

    public List<String> classes() {
        return Arrays.asList(names);
    }
}
