package dev.leakproof.examples.ownserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A quote server that is not built on Leakproof's fixture nor on Netty: a plain JDK
 * {@link SSLServerSocket}, one thread per connection. It records who is connected in a static map
 * for an admin page, and never takes a client out of it when the client goes away, so every
 * connection's record, and the socket it holds, stays. With {@code forgetOnClose} the record goes
 * when the connection ends.
 *
 * <pre>{@code
 * try (QuoteServer server = QuoteServer.start(sslContext, true)) {
 *     InetSocketAddress address = server.address();
 * }
 * }</pre>
 */
public final class QuoteServer implements AutoCloseable {

    /** Who is connected, for the admin page: one record per connection. */
    static final Map<Socket, ConnectedClient> CONNECTED = new ConcurrentHashMap<>();

    /** What the admin page shows of a connection. */
    record ConnectedClient(Socket socket, Instant since) {
    }

    private final SSLServerSocket listener;
    private final boolean forgetOnClose;

    private QuoteServer(SSLContext tls, boolean forgetOnClose) throws IOException {
        this.listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 100,
                InetAddress.getLoopbackAddress());
        this.forgetOnClose = forgetOnClose;
        Thread acceptor = new Thread(this::accept, "quote-server-acceptor");
        acceptor.start();
    }

    public static QuoteServer start(SSLContext tls, boolean forgetOnClose) throws IOException {
        return new QuoteServer(tls, forgetOnClose);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread worker = new Thread(() -> serve(socket), "quote-server-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // the listener closed
            }
        }
    }

    private void serve(Socket socket) {
        CONNECTED.put(socket, new ConnectedClient(socket, Instant.now()));
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println("PRICE " + line + " 42.00");
            }
        } catch (IOException e) {
            // the client reset or went away
        } finally {
            if (forgetOnClose) {
                CONNECTED.remove(socket);
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        CONNECTED.clear();
    }
}
