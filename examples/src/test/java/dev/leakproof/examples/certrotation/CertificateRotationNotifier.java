package dev.leakproof.examples.certrotation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process-wide source of "the certificate was rotated" events: the key store watcher calls
 * {@link #rotated}, and every interested party listens.
 *
 * <pre>{@code
 * CertificateRotationNotifier.global().addListener(connection);
 * ...
 * CertificateRotationNotifier.global().removeListener(connection);
 * }</pre>
 *
 * <p>A singleton lives as long as the JVM; a listener it holds lives as long, with everything the
 * listener references (the leak story of a TLS protocol object kept alive by the object it is wired to).
 */
final class CertificateRotationNotifier {

    private static final CertificateRotationNotifier GLOBAL = new CertificateRotationNotifier();

    private final List<CertificateRotationListener> listeners = new CopyOnWriteArrayList<>();

    private CertificateRotationNotifier() {
    }

    static CertificateRotationNotifier global() {
        return GLOBAL;
    }

    void addListener(CertificateRotationListener listener) {
        listeners.add(listener);
    }

    void removeListener(CertificateRotationListener listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    /** Called by the key store watcher once the new certificate is in place. */
    void rotated(String newSerialNumber) {
        listeners.forEach(listener -> listener.certificateRotated(newSerialNumber));
    }

    /** Drops every listener: on server shutdown, and after an example that leaks listeners on purpose. */
    void removeAllListeners() {
        listeners.clear();
    }
}
