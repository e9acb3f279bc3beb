/**
 * What the operating system and the JVM hold beyond the heap: file descriptors, threads, resident
 * memory. Snapshots taken before and after a window of work, compared by the checks. Uses only the
 * JDK.
 */
package dev.leakproof.internal.os;
