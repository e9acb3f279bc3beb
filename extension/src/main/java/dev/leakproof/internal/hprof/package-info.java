/**
 * Heap dumps read at the speed of the disk: an index of a HotSpot HPROF file over its memory maps
 * (object positions, classes, GC roots), the objects read through it, and the shortest strong paths
 * from the GC roots to chosen objects, found the way Shark finds them. Uses nothing else of
 * Leakproof.
 */
package dev.leakproof.internal.hprof;
