/**
 * Bounded waiting, on the ground floor: {@link dev.leakproof.internal.wait.Waits} wraps Awaitility
 * the one way every check waits (same thread, short polls, a timeout that returns the last value).
 * Uses nothing of Leakproof's.
 */
package dev.leakproof.internal.wait;
