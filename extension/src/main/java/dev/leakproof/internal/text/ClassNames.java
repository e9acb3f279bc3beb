package dev.leakproof.internal.text;

/**
 * Class names as failure messages and reports show them, in one place: simple names, lambda
 * classes without their run-specific numbers, JVM array names in Java form, and the order a person
 * reads surviving classes in (their own code first).
 */
public final class ClassNames {

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
        return className.replaceAll("\\$\\$Lambda[$/+0-9a-fx]*", "\\$\\$Lambda");
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
