package dev.leakproof.internal.origin;

import dev.leakproof.internal.text.ClassNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apiguardian.api.API;

/**
 * Where a class was loaded from, told by its code source: the test class, the project's own
 * classes (a class directory), a dependency (a jar, named by the Maven coordinates in its
 * {@code META-INF/maven/.../pom.properties}), the JDK, or Leakproof itself.
 *
 * <pre>{@code
 * ClassOrigin origin = ClassOrigin.of("io.vertx.core.impl.VertxImpl", "com.example.ClientTests");
 * origin.describe(); // "io.vertx:vertx-core:4.5.10, a dependency"
 * }</pre>
 *
 * @param kind what kind of code it is
 * @param artifact {@code groupId:artifactId:version} of a dependency, or the jar's file name; else empty
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record ClassOrigin(Kind kind, String artifact) {

    /** What kind of code a class is, as far as whose bug a leak is. */
    public enum Kind { TEST, PROJECT, DEPENDENCY, JDK, LEAKPROOF, UNKNOWN }

    private static final Map<String, ClassOrigin> BY_LOCATION = new ConcurrentHashMap<>();

    /** Where {@code className} comes from, seen from {@code testClass} (loaded by the thread's class loader). */
    public static ClassOrigin of(String className, String testClass) {
        String name = className.replace("[]", "");
        if (!testClass.isEmpty() && ClassNames.topLevel(name).equals(ClassNames.topLevel(testClass))) {
            return new ClassOrigin(Kind.TEST, "");
        }
        if (name.startsWith("dev.leakproof.fixture.") || name.startsWith("dev.leakproof.internal.")
                || name.matches("dev\\.leakproof\\.[A-Z]\\w*(\\$.*)?")) {
            return new ClassOrigin(Kind.LEAKPROOF, "");
        }
        Class<?> type = load(name);
        if (type == null) {
            return new ClassOrigin(ClassNames.isJdkClass(name) ? Kind.JDK : Kind.UNKNOWN, "");
        }
        CodeSource source = type.getClassLoader() == null || type.getProtectionDomain() == null ? null
                : type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return new ClassOrigin(location == null ? Kind.JDK : Kind.UNKNOWN, "");
        }
        return BY_LOCATION.computeIfAbsent(location.toString(), k -> fromLocation(location));
    }

    /** Words for the origin: "a dependency, io.vertx:vertx-core:4.5.10", "the JDK", "the project's own classes". */
    public String describe() {
        return switch (kind) {
            case TEST -> "the test class";
            case PROJECT -> "the project's own classes";
            case DEPENDENCY -> artifact + ", a dependency";
            case JDK -> "the JDK";
            case LEAKPROOF -> "Leakproof's fixture";
            case UNKNOWN -> "code of unknown origin";
        };
    }

    private static ClassOrigin fromLocation(URL location) {
        Path path;
        try {
            path = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new ClassOrigin(Kind.UNKNOWN, "");
        }
        if (Files.isDirectory(path)) {
            return new ClassOrigin(Kind.PROJECT, "");
        }
        String file = path.getFileName().toString();
        if (file.startsWith("leakproof-")) {
            return new ClassOrigin(Kind.LEAKPROOF, "");
        }
        return new ClassOrigin(Kind.DEPENDENCY, coordinates(path, file));
    }

    /** The jar's Maven coordinates; of several (a shaded jar), the one its file name starts with. */
    private static String coordinates(Path jar, String file) {
        String found = null;
        try (JarFile archive = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = archive.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith("META-INF/maven/") || !entry.getName().endsWith("/pom.properties")) {
                    continue;
                }
                Properties pom = new Properties();
                try (InputStream in = archive.getInputStream(entry)) {
                    pom.load(in);
                }
                String artifactId = pom.getProperty("artifactId", "");
                String gav = pom.getProperty("groupId", "") + ":" + artifactId + ":" + pom.getProperty("version", "");
                if (found == null || file.startsWith(artifactId + "-")) {
                    found = gav;
                }
            }
        } catch (IOException e) {
            return file;
        }
        return found == null ? fromRepositoryPath(jar, file) : found;
    }

    /**
     * Coordinates told by a Maven repository's layout when the jar carries no metadata (a jar built by
     * Gradle): {@code .../repository/com/squareup/leakcanary/shark/2.14/shark-2.14.jar}.
     */
    private static String fromRepositoryPath(Path jar, String file) {
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        if (artifactDir == null || !file.equals(artifactDir.getFileName() + "-" + versionDir.getFileName() + ".jar")) {
            return file;
        }
        StringBuilder group = new StringBuilder();
        for (Path dir = artifactDir.getParent(); dir != null && dir.getFileName() != null; dir = dir.getParent()) {
            if (dir.getFileName().toString().equals("repository")) {
                return (group.length() == 0 ? "" : group + ":") + artifactDir.getFileName() + ":" + versionDir.getFileName();
            }
            group.insert(0, group.length() == 0 ? dir.getFileName().toString() : dir.getFileName() + ".");
        }
        return artifactDir.getFileName() + ":" + versionDir.getFileName();
    }

    private static Class<?> load(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, ClassOrigin.class.getClassLoader()}) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }
}
