package dev.leakproof.examples.clientpool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * {@link ReportClient} with the fix: the body is closed when the first line is read, which tells
 * the JDK client to give up the rest and release the connection.
 *
 * <pre>{@code
 * String header = new FixedReportClient(sslContext, reportUri).firstLine();
 * }</pre>
 */
public final class FixedReportClient extends ReportClient {

    public FixedReportClient(SSLContext sslContext, URI report) {
        super(sslContext, report);
    }

    @Override
    public String firstLine() {
        try (InputStream body = fetch()) {
            return readFirstLine(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
