package dev.leakproof.internal.size;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Least-squares slope of y over x: bytes per connection from (connections, bytes) points. */
final class LeastSquares {

    private LeastSquares() {
    }

    static <T> double slope(List<T> points, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
        if (points.size() < 2) {
            return points.isEmpty() ? 0 : y.applyAsDouble(points.get(0)) / Math.max(1, x.applyAsDouble(points.get(0)));
        }
        double meanX = points.stream().mapToDouble(x).average().orElse(0);
        double meanY = points.stream().mapToDouble(y).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (T p : points) {
            double dx = x.applyAsDouble(p) - meanX;
            covariance += dx * (y.applyAsDouble(p) - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
