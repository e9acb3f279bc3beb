package dev.leakproof;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Thrown (as a test failure) when connections left something behind after they closed.
 * The message is written for a person; the accessors are for tools.
 *
 * <pre>{@code
 * ConnectionLeakError leak = assertThrows(ConnectionLeakError.class, () -> ...);
 * assertThat(leak.leakedConnections()).isEqualTo(37);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class ConnectionLeakError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final long leakedConnections;
    private final long connections;
    private final Map<String, Long> survivorsByClass;

    /**
     * A leak finding, as the extension's checks make it.
     *
     * @param message what leaked and what to do next, written for a person
     * @param leakedConnections connections with at least one object that survived, or still open
     * @param connections connections the verdict looked at
     * @param survivorsByClass surviving objects by class name, most numerous first (copied)
     */
    public ConnectionLeakError(String message, long leakedConnections, long connections,
            Map<String, Long> survivorsByClass) {
        super(message);
        this.leakedConnections = leakedConnections;
        this.connections = connections;
        this.survivorsByClass = Collections.unmodifiableMap(new LinkedHashMap<>(survivorsByClass));
    }

    /** Connections with at least one object that survived, or that were still open. */
    public long leakedConnections() {
        return leakedConnections;
    }

    /** Connections the verdict looked at. */
    public long connections() {
        return connections;
    }

    /** Surviving objects by class name, most numerous first. */
    public Map<String, Long> survivorsByClass() {
        return survivorsByClass;
    }
}
