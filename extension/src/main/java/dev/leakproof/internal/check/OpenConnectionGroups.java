package dev.leakproof.internal.check;

import dev.leakproof.fixture.Durations;
import dev.leakproof.fixture.OpenConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Open connections grouped by situation, so that six connections stuck the same way read as one
 * line: {@code 6 x client ports 41234, 41240, 41250 and 3 more (opened 0.4 s to 0.7 s ago):
 * sending response 1: 4063232 of 32000000 bytes written, the client is not reading the rest}.
 *
 * <pre>{@code
 * String listed = OpenConnectionGroups.grouped(server.openConnections());
 * }</pre>
 */
final class OpenConnectionGroups {

    private static final int MAX_LISTED = 5;

    private OpenConnectionGroups() {
    }

    static String grouped(List<OpenConnection> open) {
        Map<String, List<OpenConnection>> bySituation = open.stream().collect(Collectors.groupingBy(
                OpenConnection::situation, LinkedHashMap::new, Collectors.toList()));
        return bySituation.entrySet().stream().limit(MAX_LISTED).map(e -> {
            List<OpenConnection> group = e.getValue();
            if (group.size() == 1) {
                return group.get(0).describe();
            }
            String ports = group.stream().limit(3).map(c -> Integer.toString(c.remotePort()))
                    .collect(Collectors.joining(", ")) + (group.size() > 3 ? " and " + (group.size() - 3) + " more" : "");
            Duration youngest = group.stream().map(OpenConnection::age).min(Duration::compareTo).orElse(Duration.ZERO);
            Duration oldest = group.stream().map(OpenConnection::age).max(Duration::compareTo).orElse(Duration.ZERO);
            return group.size() + " x client ports " + ports + " (opened " + Durations.format(youngest) + " to "
                    + Durations.format(oldest) + " ago)" + (e.getKey().isEmpty() ? "" : ": " + e.getKey());
        }).collect(Collectors.joining("; "))
                + (bySituation.size() > MAX_LISTED
                        ? "; and " + (bySituation.size() - MAX_LISTED) + " more situations" : "");
    }
}
