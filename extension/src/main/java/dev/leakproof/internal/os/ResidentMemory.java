package dev.leakproof.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * The process's resident set size, where the OS says it.
 *
 * <pre>{@code
 * long rss = ResidentMemory.bytes(); // -1 where unknown
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** Resident set size from /proc/self/status (Linux), or -1. */
    public static long bytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
