package dev.leakproof.examples.threadlocal;

/**
 * Counts requests per tenant; called deep in request handling, where only {@link TenantContext}
 * knows the tenant.
 *
 * <pre>{@code
 * Quotas.countRequest(); // for TenantContext.current()
 * }</pre>
 */
final class Quotas {

    private Quotas() {
    }

    static void countRequest() {
        TenantContext.current().countRequest();
    }
}
