package dev.leakproof.internal.session;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A resource in an {@code ExtensionContext.Store} that every supported JUnit closes exactly once when
 * its context ends, even when tests fail. JUnit 5.10 to 5.12 close only values that implement
 * {@code Store.CloseableResource}; from 5.13 on (and in 6) JUnit closes {@code AutoCloseable} values
 * and closes a value that is both only as an {@code AutoCloseable}. Storing a bare
 * {@code AutoCloseable} would leave the fixture server running on 5.10 to 5.12.
 *
 * <pre>{@code
 * store.put("session", new ClosedByJUnit<>(new LeakSession(...)));
 * LeakSession session = (LeakSession) ((ClosedByJUnit<?>) store.get("session")).value();
 * }</pre>
 *
 * @param <T> the resource's type
 */
// CloseableResource is deprecated since JUnit 5.13 (still present in 6), and it is the only way JUnit 5.10-5.12 close a
// value; close() throws what the wrapped resource's close() throws ("try": javac's note about InterruptedException).
@SuppressWarnings({"deprecation", "try"})
final class ClosedByJUnit<T extends AutoCloseable> implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final T value;

    ClosedByJUnit(T value) {
        this.value = value;
    }

    T value() {
        return value;
    }

    @Override
    public void close() throws Exception {
        value.close();
    }
}
