/**
 * Memory per open connection and under load: the JOL object-graph walker, the heap's slope over
 * connection counts, the retained-size measurement with a client in another JVM, and the long-lived connection services'
 * step load. Uses {@code gc}, {@code os}, {@code text} and {@code wait}.
 */
package dev.leakproof.internal.size;
