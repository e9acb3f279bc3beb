package dev.leakproof.internal.text;

import org.apiguardian.api.API;

/**
 * Class names as failure messages and reports show them, in one place: simple names, lambda
 * classes without their run-specific numbers, JVM array names in Java form, and the order a person
 * reads surviving classes in (their own code first).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassNames {

    private static final java.util.regex.Pattern LAMBDA_NUMBERS = java.util.regex.Pattern.compile("\\$\\$Lambda[$/+0-9a-fx]*");

    private ClassNames() {
    }

    /** {@code com.example.Outer$Inner} becomes {@code Outer$Inner}; lambdas and arrays keep their shape. */
    public static String simple(String className) {
        int lastDot = className.lastIndexOf('.');
        return lastDot < 0 ? className : className.substring(lastDot + 1);
    }

    /** Simple class name, with lambda classes named by their host class only (their numbers change per run). */
    public static String readable(String className) {
        return withoutLambdaNumbers(simple(className));
    }

    /** {@code com.example.Feed$$Lambda$766/0x00007ff6} reads {@code com.example.Feed$$Lambda}: the rest changes per run. */
    public static String withoutLambdaNumbers(String className) {
        // Read for every link of every leak path: compiled once, and only when the name has a lambda.
        return className.contains("$$Lambda") ? LAMBDA_NUMBERS.matcher(className).replaceAll("\\$\\$Lambda") : className;
    }


    /** {@code [B} reads as {@code byte[]}, {@code [Ljava.lang.Object;} as {@code java.lang.Object[]}. */
    public static String fromJvmName(String jvmName) {
        int dims = 0;
        while (dims < jvmName.length() && jvmName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return jvmName;
        }
        String element = jvmName.substring(dims);
        String base = switch (element) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element;
        };
        return base + "[]".repeat(dims);
    }

    /**
     * Where a class stands in the order a person investigates survivors: the user's own classes (0),
     * library classes (1), the TLS engine (2), the channel (3).
     */
    public static int readingRank(String className) {
        if (className.endsWith("Channel")) {
            return 3;
        }
        if (className.contains("SSLEngine") || className.contains("SslEngine")) {
            return 2;
        }
        if (isLibraryClass(className)) {
            return 1;
        }
        return 0;
    }

    /** Whether the class (or an array's element class) is the JDK's own: {@code java.}, {@code jdk.}, primitives... */
    public static boolean isJdkClass(String className) {
        String element = className.replace("[]", "");
        return !element.contains(".") || element.startsWith("java.") || element.startsWith("javax.")
                || element.startsWith("jdk.") || element.startsWith("sun.") || element.startsWith("com.sun.");
    }

    /** {@code com.example.Outer$Inner} belongs to {@code com.example.Outer}: the class a source file declares. */
    public static String topLevel(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    /**
     * Whether the class is the user's own, told from the test class: it shares the test's top two
     * package names ({@code com.example.} for {@code com.example.chat.ChatTests}). Neither the
     * JDK's nor a library's.
     */
    public static boolean isUserClass(String className, String testClass) {
        String[] parts = testClass.split("\\.");
        int lastDot = testClass.lastIndexOf('.');
        String prefix = parts.length > 2 ? parts[0] + "." + parts[1] + "." : testClass.substring(0, lastDot + 1);
        return !prefix.isEmpty() && className.replace("[]", "").startsWith(prefix);
    }

    /** Whether the class belongs to the JDK, Netty or the fixture rather than to the user's code. */
    public static boolean isLibraryClass(String className) {
        while (className.endsWith("[]")) {
            className = className.substring(0, className.length() - 2);
        }
        if (!className.contains(".")) {
            return true; // a primitive (array)
        }
        return className.startsWith("io.netty.") || className.startsWith("java.") || className.startsWith("javax.")
                || className.startsWith("sun.") || className.startsWith("jdk.") || className.startsWith("com.sun.")
                || className.startsWith("dev.leakproof.fixture.");
    }
}
