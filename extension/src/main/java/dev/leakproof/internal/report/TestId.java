package dev.leakproof.internal.report;

import org.apiguardian.api.API;

/**
 * Which test a verdict belongs to, told apart from every other: two parameterized methods both
 * show {@code [1] 10}, every repetition of a {@code @RepeatedTest} shows {@code repetition 1 of 3},
 * and a {@code @Nested} class's tests share the outer class's report; the unique id and the method
 * and class names keep them apart.
 *
 * <pre>{@code
 * TestId id = new TestId("[1] 10", "[engine:junit-jupiter]/[class:com.example.ChatTests]/...",
 *         "com.example.ChatTests", "loginWith");
 * TestId classLevel = TestId.classLevel("outside tests (@BeforeAll, @AfterAll)", "com.example.ChatTests");
 * }</pre>
 *
 * @param displayName what JUnit shows, e.g. {@code loginAndQuit()} or {@code [1] 10}
 * @param uniqueId JUnit's unique id of the test, or the class's for a class-level verdict
 * @param className the class that declares the test (a {@code @Nested} class's own name)
 * @param methodName the test method's name, or {@code null} for a class-level verdict
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record TestId(String displayName, String uniqueId, String className, String methodName) {

    /** A verdict of the class's own activity, outside any test method. */
    public static TestId classLevel(String what, String className) {
        return new TestId(what, null, className, null);
    }

    /** {@code ChatTests#loginWith}, or the class's simple name for a class-level verdict. */
    public String methodLabel() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return methodName == null ? simple : simple + "#" + methodName;
    }
}
