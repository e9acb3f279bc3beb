package dev.leakproof.internal.text;

import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** Counted names as messages list them: {@code 3 x socket, 1 x pipe}. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Counts {

    private Counts() {
    }

    /** {@code 3 x socket, 1 x pipe}, in the map's order. */
    public static String counted(Map<String, Long> countsByName) {
        return countsByName.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
