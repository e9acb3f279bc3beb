package dev.leakproof.internal.hprof;

import org.apiguardian.api.API;

/**
 * A dump this index does not read (4-byte ids, Android's records, a truncated file): the caller
 * falls back to Shark, which reads every HPROF variant.
 *
 * <pre>{@code
 * try (HprofIndex index = HprofIndex.open(dump, Set.of())) { ... } catch (UnsupportedHprofException e) { ... }
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class UnsupportedHprofException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedHprofException(String message) {
        super(message);
    }
}
