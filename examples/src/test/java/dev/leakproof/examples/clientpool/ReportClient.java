package dev.leakproof.examples.clientpool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Client code a team might write: it fetches a large report over HTTPS with the JDK's
 * {@link HttpClient} and looks at its first line only. The JDK client keeps a connection checked out
 * of its pool until the response body is read to the end or closed; this version does neither, so
 * every call leaves a connection behind, stuck with the rest of the report unread.
 * {@link FixedReportClient} closes the body.
 *
 * <pre>{@code
 * ReportClient reports = new ReportClient(sslContext, URI.create("https://reports.example/daily"));
 * String header = reports.firstLine();
 * }</pre>
 */
public class ReportClient {

    private final HttpClient client;
    private final URI report;

    public ReportClient(SSLContext sslContext, URI report) {
        this.client = HttpClient.newBuilder().sslContext(sslContext).version(HttpClient.Version.HTTP_1_1).build();
        this.report = report;
    }

    /** The report's first line. */
    public String firstLine() {
        InputStream body = fetch();
        return readFirstLine(body); // the body is never closed: its connection stays checked out
    }

    protected final InputStream fetch() {
        HttpRequest request = HttpRequest.newBuilder(report).timeout(Duration.ofSeconds(10)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + report, e);
        }
    }

    protected static String readFirstLine(InputStream body) {
        try {
            // Not in try-with-resources on purpose: closing the reader would close the body.
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.US_ASCII), 64);
            char[] start = new char[16];
            int read = reader.read(start);
            return read < 0 ? "" : new String(start, 0, read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
