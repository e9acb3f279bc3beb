package dev.leakproof.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine and the JDK a run measured on: CPU, cores, memory, OS, the loopback limits that
 * decide how many connections a run can open (ephemeral ports, TIME_WAIT reuse), and the JVM.
 *
 * <pre>{@code
 * Map<String, Object> machine = Machine.describe();
 * }</pre>
 */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", firstValue("/proc/cpuinfo", "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String memKb = firstValue("/proc/meminfo", "MemTotal");
        m.put("memoryGiB", memKb == null ? null
                : Math.round(Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("ephemeralPorts", read("/proc/sys/net/ipv4/ip_local_port_range"));
        m.put("tcpTwReuse", read("/proc/sys/net/ipv4/tcp_tw_reuse"));
        m.put("openFilesLimit", System.getenv("BENCH_ULIMIT_N"));
        return m;
    }

    static Map<String, Object> jdk() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("version", System.getProperty("java.runtime.version"));
        j.put("vendor", System.getProperty("java.vm.vendor"));
        j.put("vm", System.getProperty("java.vm.name"));
        j.put("home", System.getProperty("java.home"));
        return j;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim().replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }
}
