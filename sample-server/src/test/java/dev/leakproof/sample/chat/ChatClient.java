package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking TLS line client for tests: no threads of its own, every read bounded by a socket timeout.
 */
final class ChatClient implements AutoCloseable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    private final Socket plain;
    private final SSLSocket tls;
    private final BufferedReader in;
    private final Writer out;

    private ChatClient(Socket plain, SSLSocket tls) throws IOException {
        this.plain = plain;
        this.tls = tls;
        this.in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
        this.out = new OutputStreamWriter(tls.getOutputStream(), StandardCharsets.UTF_8);
    }

    static ChatClient connect(ChatServer server) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, server.trustManagerFactory().getTrustManagers(), null);
            return connect(new InetSocketAddress("127.0.0.1", server.port()), context, READ_TIMEOUT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects to any loopback TLS server {@code context} trusts, with {@code timeout} on every read. */
    static ChatClient connect(InetSocketAddress address, SSLContext context, Duration timeout) {
        try {
            Socket plain = new Socket();
            plain.connect(address, (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            // Layered over a plain socket we own, so a test can reset the TCP connection under TLS.
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, "localhost", address.getPort(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return new ChatClient(plain, tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends raw bytes through TLS, e.g. a line that is not UTF-8. */
    void sendBytes(byte[] bytes) {
        try {
            tls.getOutputStream().write(bytes);
            tls.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes straight onto the TCP connection, under TLS: what the server's TLS layer sees as garbage. */
    void sendUnderTls(byte[] bytes) {
        try {
            plain.getOutputStream().write(bytes);
            plain.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one line in one TLS record. */
    void send(String line) {
        try {
            out.write(line + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next line; {@code null} at end of stream; fails after {@link #READ_TIMEOUT}. */
    String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next line that is not a heartbeat {@code PING}. */
    String readLineSkippingPings() {
        String line;
        do {
            line = readLine();
        } while ("PING".equals(line));
        return line;
    }

    String request(String line) {
        send(line);
        return readLine();
    }

    void login(String name) {
        assertThat(request("LOGIN " + name)).isEqualTo("OK welcome " + name);
    }

    void join(String room) {
        assertThat(request("JOIN " + room)).isEqualTo("OK joined " + room);
    }

    /** Asserts the server has closed the connection cleanly, with nothing more to read. */
    void assertClosedByServer() {
        assertThat(readLine()).as("end of stream after the server closed").isNull();
    }

    /** Ends the connection with a TCP reset: no TLS close_notify, no FIN. */
    void reset() {
        if (plain.isClosed()) {
            return;
        }
        try {
            plain.setSoLinger(true, 0);
            plain.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            tls.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
