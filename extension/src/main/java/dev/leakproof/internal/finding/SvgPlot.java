package dev.leakproof.internal.finding;

import dev.leakproof.internal.text.Bytes;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Inline SVG plots, with no script and no external file: used heap (and JOL connection bytes)
 * against open connections, and a count against the repetitions done.
 *
 * <pre>{@code
 * String svg = SvgPlot.plot(new int[] {0, 100}, new long[] {0, 900_000}, new long[] {0, 730_000}, true);
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SvgPlot {

    private SvgPlot() {
    }

    /**
     * Used heap after GC ({@code usedHeap}, drawn above its lowest point) and, when {@code withJol},
     * the connections' own JOL size, against the connections open at each point.
     */
    public static String plot(int[] open, long[] usedHeap, long[] jol, boolean withJol) {
        int width = 560;
        int height = 300;
        int left = 70;
        int bottom = 40;
        long minHeap = java.util.Arrays.stream(usedHeap).min().orElse(0);
        long maxY = 1;
        for (int i = 0; i < open.length; i++) {
            maxY = Math.max(maxY, Math.max(usedHeap[i] - minHeap, jol[i]));
        }
        int maxX = Math.max(1, java.util.Arrays.stream(open).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"retained heap against open connections\">")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
                .append(line(left, height - bottom, width - 10, height - bottom, "#444"))
                .append(line(left, 10, left, height - bottom, "#444"))
                .append(text(width / 2 - 60, height - 8, "open connections"))
                .append(text(4, 20, Bytes.format(maxY)))
                .append(text(4, height - bottom, "0"))
                .append(text(width - 40, height - bottom + 16, Integer.toString(maxX)));
        String[] series = {"#1f77b4", "#d62728"};
        for (int s = 0; s < (withJol ? 2 : 1); s++) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < open.length; i++) {
                long y = s == 0 ? usedHeap[i] - minHeap : jol[i];
                double px = left + (width - 10 - left) * (double) open[i] / maxX;
                double py = height - bottom - (height - bottom - 10) * (double) y / maxY;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, series[s]));
            }
            svg.append("<path d=\"").append(path).append("\" stroke=\"").append(series[s])
                    .append("\" fill=\"none\" stroke-width=\"2\"/>");
        }
        svg.append(text(left + 10, 24, "used heap after full GC, above the 0-connection point"))
                .append("<rect x=\"").append(left + 2).append("\" y=\"16\" width=\"6\" height=\"6\" fill=\"#1f77b4\"/>")
                .append(withJol ? text(left + 10, 40, "JOL size of the connections' own objects")
                        + "<rect x=\"" + (left + 2) + "\" y=\"32\" width=\"6\" height=\"6\" fill=\"#d62728\"/>" : "")
                .append("</svg>");
        return svg.toString();
    }

    /**
     * A count against the repetitions (or connections) done at each point: a straight rising line is
     * a collection that gains the same number of entries per repetition.
     */
    public static String counts(long[] xs, long[] ys, String label) {
        int width = 560;
        int height = 240;
        int left = 70;
        int bottom = 40;
        int n = Math.min(xs.length, ys.length);
        long maxX = Math.max(1, xs[n - 1]);
        long minY = java.util.Arrays.stream(ys, 0, n).min().orElse(0);
        long maxY = Math.max(minY + 1, java.util.Arrays.stream(ys, 0, n).max().orElse(1));
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\""
                + height + "\" role=\"img\" aria-label=\"" + Place.esc(label) + "\">")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
                .append(line(left, height - bottom, width - 10, height - bottom, "#444"))
                .append(line(left, 10, left, height - bottom, "#444"))
                .append(text(width / 2 - 60, height - 8, "repetitions done"))
                .append(text(4, 20, Long.toString(maxY))).append(text(4, height - bottom, Long.toString(minY)))
                .append(text(width - 40, height - bottom + 16, Long.toString(maxX)));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double px = left + (width - 10 - left) * (double) xs[i] / maxX;
            double py = height - bottom - (height - bottom - 10) * (double) (ys[i] - minY) / (maxY - minY);
            path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#d62728\"/>", px, py));
        }
        return svg.append("<path d=\"").append(path).append("\" stroke=\"#d62728\" fill=\"none\" stroke-width=\"2\"/>")
                .append(text(left + 10, 24, label)).append("</svg>").toString();
    }

    private static String line(int x1, int y1, int x2, int y2, String color) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + color + "\"/>";
    }

    private static String text(int x, int y, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"12\">" + Place.esc(s) + "</text>";
    }
}
