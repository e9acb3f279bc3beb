/**
 * Weak references to every per-connection object: the channel, its handlers, the SslHandler and
 * SSLEngine, and the objects a test registers with {@code LeakTracker}. Implements the fixture's
 * {@code ConnectionObserver} and the public {@code LeakTracker}; uses only {@code text} below it.
 */
package dev.leakproof.internal.tracking;
