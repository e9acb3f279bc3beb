package dev.leakproof.internal;

/** The pause between two polls of a bounded wait. */
final class Sleeping {

    private Sleeping() {
    }

    /**
     * Sleeps for {@code millis}, or less when interrupted: the interrupt flag is kept for the caller,
     * whose wait is bounded by its own deadline.
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
