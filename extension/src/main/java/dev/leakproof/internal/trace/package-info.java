/**
 * Leak traces: a live heap dump of the survivors' JVM, the shortest paths from GC roots to them
 * (found on Leakproof's index of the dump, {@code hprof}, as Shark finds them; Shark itself is the
 * fallback and the reference), grouped by path shape into signatures. Uses {@code hprof},
 * {@code tracking}, {@code config} (the references held by design) and {@code text}.
 */
package dev.leakproof.internal.trace;
