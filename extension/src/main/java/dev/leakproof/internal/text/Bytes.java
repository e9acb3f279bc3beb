package dev.leakproof.internal.text;

import java.util.Locale;
import org.apiguardian.api.API;

/** Sizes as messages and reports show them: {@code 512 B}, {@code 7.3 KB}, {@code 1.2 MB} (KB = 1024 bytes). */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Bytes {

    private Bytes() {
    }

    public static String format(double b) {
        if (Math.abs(b) < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (Math.abs(b) < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024 * 1024));
    }
}
