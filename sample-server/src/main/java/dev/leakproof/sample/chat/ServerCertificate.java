package dev.leakproof.sample.chat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The chat server's self-signed certificate: EC P-256, valid for {@code localhost} and
 * {@code 127.0.0.1}, made at start-up and held in memory only (no key material on disk or checked in).
 *
 * <p>Built with BouncyCastle's certificate builder over the JDK's EC keys and signatures, which works
 * on Netty 4.1 and 4.2 alike ({@code netty-pkitesting} exists only in 4.2); no security provider is
 * registered.
 *
 * <pre>{@code
 * ServerCertificate certificate = ServerCertificate.generate();
 * SslContext server = SslContextBuilder.forServer(certificate.keyManagerFactory()).build();
 * }</pre>
 */
final class ServerCertificate {
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private ServerCertificate(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /**
     * Generates a key pair and its certificate.
     *
     * @return the new certificate and key
     * @throws IllegalStateException if the JDK cannot generate EC keys or sign with ECDSA
     */
    static ServerCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=localhost");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, random).add(BigInteger.ONE),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                    name, keyPair.getPublic());
            // A CA certificate (basic constraints): clients trust it directly as the anchor, so it also
            // serves as the server's own certificate.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress,
                        new DEROctetString(InetAddress.getByName("127.0.0.1").getAddress())),
            }));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new ServerCertificate(keyPair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not create a self-signed certificate", e);
        }
    }

    /**
     * Returns the certificate, which clients pin as their trust anchor.
     *
     * @return the self-signed certificate
     */
    X509Certificate certificate() {
        return certificate;
    }

    /**
     * Returns key material for the server: an in-memory PKCS12 store with an empty password.
     *
     * @return a key manager factory holding the private key and the certificate
     * @throws GeneralSecurityException if the JDK cannot build the store
     * @throws IOException if the in-memory store cannot be initialized
     */
    KeyManagerFactory keyManagerFactory() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", keyPair.getPrivate(), new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory;
    }

    /**
     * Returns trust material that trusts exactly this certificate.
     *
     * @return a trust manager factory for clients
     * @throws GeneralSecurityException if the JDK cannot build the store
     * @throws IOException if the in-memory store cannot be initialized
     */
    TrustManagerFactory trustManagerFactory() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("chat-server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + certificate.getSubjectX500Principal().getName() + ", key not shown]";
    }
}
