/**
 * Forcing a full garbage collection and proving that one ran (also under
 * {@code -XX:+DisableExplicitGC}), and reading the heap it left. Uses only the JDK.
 */
package dev.leakproof.internal.gc;
