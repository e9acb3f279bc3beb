package dev.leakproof.internal.size;

import dev.leakproof.fixture.internal.json.JsonWriter;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Place;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a retained-size measurement found: memory per open connection by two independent methods,
 * and whether it came back after the connections closed.
 *
 * @param connections connections held open at the largest point
 * @param jolBytesPerConnection slope of the JOL-sized server-side connection graphs over the points
 * @param heapSlopeBytesPerConnection least-squares slope of used heap after full GC over the points
 * @param residualBytesPerConnection used heap after all connections closed, minus before any opened, per connection
 * @param topClasses largest classes per connection (JOL), largest first
 * @param points the measurement points
 * @param millis how long the measurement took
 * @param budgetBytes the budget per connection it was judged against, for the report; negative when none
 *
 * <pre>{@code
 * RetainedSize size = RetainedSizeMeasurement.measure(server, 200, script, Set.of());
 * double perConnection = size.jolBytesPerConnection();
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record RetainedSize(int connections, double jolBytesPerConnection, double heapSlopeBytesPerConnection,
        double residualBytesPerConnection, List<ClassShare> topClasses, List<Point> points, long millis,
        long budgetBytes) implements Evidence {

    /** A measurement not yet judged against a budget. */
    public RetainedSize(int connections, double jolBytesPerConnection, double heapSlopeBytesPerConnection,
            double residualBytesPerConnection, List<ClassShare> topClasses, List<Point> points, long millis) {
        this(connections, jolBytesPerConnection, heapSlopeBytesPerConnection, residualBytesPerConnection, topClasses,
                points, millis, -1);
    }

    /** The same measurement, judged against {@code budget} bytes per connection (negative: none). */
    public RetainedSize withBudget(long budget) {
        return new RetainedSize(connections, jolBytesPerConnection, heapSlopeBytesPerConnection, residualBytesPerConnection,
                topClasses, points, millis, budget);
    }

    /** One class's share of a connection. */
    public record ClassShare(String className, double bytesPerConnection, double instancesPerConnection) {
    }

    /** Heap and JOL size with {@code open} connections held. */
    public record Point(int open, long usedHeapBytes, long jolConnectionBytes) {
    }

    /** How far the two methods disagree, relative to the larger one. */
    public double disagreement() {
        double larger = Math.max(Math.abs(jolBytesPerConnection), Math.abs(heapSlopeBytesPerConnection));
        return larger == 0 ? 0 : Math.abs(jolBytesPerConnection - heapSlopeBytesPerConnection) / larger;
    }

    @Override
    public void json(JsonWriter json) {
        SizeReport.json(this, json);
    }

    @Override
    public void html(StringBuilder html, Place place) {
        SizeReport.html(this, html);
    }
}
