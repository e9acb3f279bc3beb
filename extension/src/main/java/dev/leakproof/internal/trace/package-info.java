/**
 * Leak traces: a live heap dump of the survivors' JVM, Shark's shortest paths from GC roots to
 * them, grouped by path shape into signatures. Uses {@code tracking}, {@code config} (the
 * references held by design) and {@code text}.
 */
package dev.leakproof.internal.trace;
