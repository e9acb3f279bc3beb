package dev.leakproof.examples.certrotation;

/**
 * Told when the server's certificate is replaced.
 *
 * <pre>{@code
 * CertificateRotationNotifier.global().addListener(serial -> log.info("now serving " + serial));
 * }</pre>
 */
interface CertificateRotationListener {

    void certificateRotated(String newSerialNumber);
}
