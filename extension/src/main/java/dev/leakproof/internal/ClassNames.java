package dev.leakproof.internal;

/** Class names as failure messages show them. */
final class ClassNames {

    private ClassNames() {
    }

    /** {@code com.example.Outer$Inner} becomes {@code Outer$Inner}; lambdas and arrays keep their shape. */
    static String simple(String className) {
        int lastDot = className.lastIndexOf('.');
        return lastDot < 0 ? className : className.substring(lastDot + 1);
    }
}
