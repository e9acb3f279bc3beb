/**
 * The heap after a full GC: the tracked objects that survived it, live class histograms, and
 * classes whose instance counts grow in proportion to the work done. Uses {@code tracking} and
 * {@code text}.
 */
package dev.leakproof.internal.heap;
