package dev.leakproof.internal.text;

import java.util.Map;
import java.util.stream.Collectors;

/** Counted names as messages list them: {@code 3 x socket, 1 x pipe}. */
public final class Counts {

    private Counts() {
    }

    /** {@code 3 x socket, 1 x pipe}, in the map's order. */
    public static String counted(Map<String, Long> countsByName) {
        return countsByName.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
