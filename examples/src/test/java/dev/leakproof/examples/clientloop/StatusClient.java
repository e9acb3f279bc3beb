package dev.leakproof.examples.clientloop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The client of a status-page library: one HTTPS connection (a plain JDK {@link SSLSocket}) per
 * client, one {@code GET} per call. Like many client libraries it registers each client it makes in
 * a process-wide list of open clients, closed on JVM exit for users who forget {@code close()};
 * and its {@code close()} closes the socket but never takes the client off the list. Every closed
 * client, with its closed socket and TLS state, stays reachable as long as the JVM runs.
 * {@link FixedStatusClient} takes itself off the list.
 *
 * <pre>{@code
 * try (StatusClient status = StatusClient.connect(address, "localhost", sslContext)) {
 *     int code = status.get("/health");
 * }
 * }</pre>
 */
public class StatusClient implements AutoCloseable {

    /** Closed on JVM exit: the library's safety net for clients nobody closed. */
    static final List<StatusClient> OPEN_CLIENTS = new CopyOnWriteArrayList<>();

    private final SSLSocket socket;
    private final String host;

    protected StatusClient(InetSocketAddress address, String host, SSLContext tls) {
        try {
            this.socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names the host
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException("could not connect to " + address, e);
        }
        this.host = host;
        OPEN_CLIENTS.add(this);
    }

    /** A client of the status service at {@code address}, which must present a certificate for {@code host}. */
    public static StatusClient connect(InetSocketAddress address, String host, SSLContext tls) {
        return new StatusClient(address, host, tls);
    }

    /** Sends {@code GET path}, reads the whole response, and returns its status code. */
    public int get(String path) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = line(in);
            int contentLength = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            in.readNBytes(contentLength);
            return Integer.parseInt(statusLine.split(" ", 3)[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close(); // ...and the client stays in OPEN_CLIENTS
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Forgets every client, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void forgetAll() {
        OPEN_CLIENTS.clear();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("the connection ended within a response's head");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
