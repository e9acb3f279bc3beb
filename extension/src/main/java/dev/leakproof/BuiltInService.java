package dev.leakproof;

import org.apiguardian.api.API;

/**
 * The service the fixture server offers when the test class has no {@link ServerPipeline}, as
 * {@link DetectConnectionLeaks#service()} takes it.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(service = BuiltInService.HTTP)
 * class ReportClientTests { ... } // your client code against the fixture's HTTP service
 * }</pre>
 *
 * <p>Every constant but {@link #DEFAULT} is the fixture's {@code FixtureService} of the same name,
 * which {@link ConnectionLeakDetector.Builder#service} takes.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum BuiltInService {

    /**
     * Not set here: the configuration parameter {@value DetectConnectionLeaks#SERVICE_PROPERTY_NAME}
     * if present ({@code echo} or {@code http}), else {@link #LINE_ECHO}.
     */
    DEFAULT,

    /** Echoes each line; {@code QUIT} makes the server answer {@code BYE} and close. */
    LINE_ECHO,

    /**
     * HTTP/1.1 with keep-alive, for checking client code and its connection pool: {@code GET /small}
     * (6 bytes), {@code /large?bytes=N}, {@code /slow?ms=N} and {@code /close}; anything else gets 404.
     */
    HTTP
}
